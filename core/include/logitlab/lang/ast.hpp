#pragma once
// The syntax tree of the Python subset (DESIGN.md "The Python subset"). Positions are 1-based
// line and column of the node's first character, as CPython 3.11 reports them + 1 on the column,
// except that columns count characters (code points) where CPython's col_offset counts UTF-8
// bytes. end_line/end_col are one past the last character.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace logitlab::lang {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;

enum class ExprKind {
  Name,       // text = identifier
  Int,        // int_value; big_int_text set instead when it does not fit in int64
  Float,      // float_value
  Str,        // text = decoded string value
  FString,    // items = parts: Str pieces and FormattedValue pieces, in order
  FormattedValue,  // a = expression, text = format spec ("" if none), conversion = 'r'/'s'/'a'/0
  Bool,       // bool_value
  None,
  Ellipsis,
  Tuple,      // items
  List,       // items
  Attribute,  // a = object, text = attribute name
  Call,       // a = callee, items = positional args, keywords
  Subscript,  // a = object, b = index (a Tuple for x[1, 2])
  Slice,      // a = lower, b = upper, c = step; each may be null
  BinOp,      // a, b, text = operator: + - * / // % ** @
  UnaryOp,    // a, text = operator: - + ~ not
  Compare,    // a = left, items = comparators, ops = operators (== != < <= > >= is, is not, in, not in)
  BoolOp,     // items = operands, text = "and" / "or"
  IfExp,      // a = test, b = body, c = orelse
};

struct Keyword {
  std::string name;
  ExprPtr value;
  int line = 0, col = 0;
};

struct Expr {
  ExprKind kind;
  int line = 0, col = 0;          // start
  int end_line = 0, end_col = 0;  // one past the end
  std::string text;
  std::int64_t int_value = 0;
  std::string big_int_text;  // decimal digits of an int literal beyond int64
  double float_value = 0.0;
  bool bool_value = false;
  char conversion = 0;
  ExprPtr a, b, c;
  std::vector<ExprPtr> items;
  std::vector<Keyword> keywords;
  std::vector<std::string> ops;
};

enum class StmtKind {
  Import,       // names = (module, asname) pairs: import torch, import torch.nn.functional as F
  ImportFrom,   // module, names = (name, asname) pairs
  Assign,       // targets (one per '=' chain), value
  AugAssign,    // targets[0], value, text = operator without '=' ("+", "-", ...)
  ExprStmt,     // value
  Pass,
  Try,          // body, handlers, orelse, finalbody
  If,           // value = test, body, orelse
  Unsupported,  // text = what it is, e.g. "'for' loops", "function definitions" (parsed and skipped)
};

struct ExceptHandler {
  ExprPtr type;  // null for a bare except:
  std::string name;  // "" when there is no `as name`
  std::vector<StmtPtr> body;
  int line = 0, col = 0;
};

struct Stmt {
  StmtKind kind;
  int line = 0, col = 0;
  std::vector<ExprPtr> targets;
  ExprPtr value;
  std::string text;
  std::string module;
  std::vector<std::pair<std::string, std::string>> names;
  std::vector<StmtPtr> body, orelse, finalbody;
  std::vector<ExceptHandler> handlers;
};

struct Module {
  std::vector<StmtPtr> body;
};

}  // namespace logitlab::lang
