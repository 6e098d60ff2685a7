// The parser of the Python subset: a recursive-descent parser over CPython 3.11's grammar
// (Grammar/python.gram), built to fail where CPython fails and to say what CPython says.
//
// How CPython reports a syntax error, and how this file imitates it:
//  - A first pass parses with the plain grammar. If it fails, a second pass runs with extra
//    "invalid_*" rules that recognise common mistakes and raise a specific message
//    ("expected ':'", "Perhaps you forgot a comma?", "cannot assign to ..."). Here those rules are
//    checks made at the point where the plain grammar fails.
//  - Otherwise the error is "invalid syntax" at the furthest token the parser looked at
//    (furthest_ here), or "unexpected indent" when that token is an INDENT.
//  - Tokenizer errors: see lexer.hpp. An input that ends inside brackets reports
//    "'(' was never closed" when the parser reached the end, or when its own error lies on a later
//    line than that bracket.
//  - Some errors come after parsing, from CPython's compiler ("'return' outside function",
//    "keyword argument repeated: x"); they are kept until the whole program has parsed.
// Constructs outside the subset are parsed fully (so a syntax error anywhere still wins) and
// then either become StmtKind::Unsupported statements or a NotImplementedError thrown at the end.
#include "logitlab/lang/parser.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "lang/lexer.hpp"
#include "logitlab/error.hpp"
#include "logitlab/str.hpp"

namespace logitlab::lang {
namespace {

constexpr int kMaxIntDigits = 4300;    // CPython's default sys.get_int_max_str_digits()
constexpr int kMaxStaticBlocks = 20;  // CPython's CO_MAXBLOCKS

// Kept out of the functions that recurse for every nested bracket, so that their frames stay
// small (see kMaxNesting).
#if defined(__GNUC__) || defined(__clang__)
#define LL_COLD __attribute__((noinline))
#else
#define LL_COLD
#endif  // CPython's default sys.get_int_max_str_digits()

// A failure of the plain grammar at furthest_: "invalid syntax" or one of its variants. Trial
// parses (where CPython's PEG parser would try another alternative) catch only this.
struct GenericFail : PyError {
  using PyError::PyError;
  explicit GenericFail(const PyError& e) : PyError(e) {}
};
// A soft tokenizer error the parser ran into: raised as it is, never replaced.
struct TokenizerFail : PyError {
  explicit TokenizerFail(const PyError& e) : PyError(e) {}
};

PyError positioned(const char* type, const std::string& message, int line, int col) {
  PyError e(type, message);
  e.line = line;
  e.col = col;
  return e;
}

// Names of the constructs outside the subset, as the NotImplementedError says them.
namespace what {
constexpr const char* kStarred = "starred expressions ('*x')";
constexpr const char* kStarArgs = "'*' unpacking in calls";
constexpr const char* kKwArgs = "'**' unpacking in calls";
constexpr const char* kDict = "dictionaries";
constexpr const char* kSet = "sets";
constexpr const char* kListComp = "list comprehensions";
constexpr const char* kSetComp = "set comprehensions";
constexpr const char* kDictComp = "dict comprehensions";
constexpr const char* kGenExp = "generator expressions";
constexpr const char* kWalrus = "assignment expressions (':=')";
constexpr const char* kYield = "'yield' expressions";
constexpr const char* kAwait = "'await' expressions";
constexpr const char* kBytes = "bytes literals";
constexpr const char* kComplex = "complex numbers";
constexpr const char* kNamedEscape = "'\\N{...}' escapes in strings";
constexpr const char* kNestedSpec = "replacement fields inside f-string format specs";
constexpr const char* kBigInt = "integer literals of more than 4300 digits";
}  // namespace what

// Expressions outside the subset are kept as UnaryOp nodes whose text starts with '<': they never
// reach the interpreter (their statement is Unsupported, or parse() throws NotImplementedError),
// but the error rules need to know what they were.
constexpr const char* kStarredNode = "<starred>";
constexpr const char* kLambdaNode = "<lambda>";
constexpr const char* kDictNode = "<dict>";
constexpr const char* kSetNode = "<set>";
constexpr const char* kListCompNode = "<listcomp>";
constexpr const char* kSetCompNode = "<setcomp>";
constexpr const char* kDictCompNode = "<dictcomp>";
constexpr const char* kGenExpNode = "<genexp>";
constexpr const char* kYieldNode = "<yield>";
constexpr const char* kAwaitNode = "<await>";
constexpr const char* kNamedExprNode = "<namedexpr>";
constexpr const char* kBytesNode = "<bytes>";

bool is_marker(const Expr& e, const char* marker) { return e.kind == ExprKind::UnaryOp && e.text == marker; }
bool is_starred(const Expr& e) { return is_marker(e, kStarredNode); }

// CPython's _PyPegen_get_expr_name: how "cannot assign to %s" names an expression.
std::string expr_name(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Name: return "name";
    case ExprKind::Int:
    case ExprKind::Float:
    case ExprKind::Str: return "literal";
    case ExprKind::FString:
    case ExprKind::FormattedValue: return "f-string expression";
    case ExprKind::Bool: return e.bool_value ? "True" : "False";
    case ExprKind::None: return "None";
    case ExprKind::Ellipsis: return "ellipsis";
    case ExprKind::Tuple: return "tuple";
    case ExprKind::List: return "list";
    case ExprKind::Attribute: return "attribute";
    case ExprKind::Call: return "function call";
    case ExprKind::Subscript: return "subscript";
    case ExprKind::Slice: return "slice";
    case ExprKind::BinOp:
    case ExprKind::BoolOp: return "expression";
    case ExprKind::Compare: return "comparison";
    case ExprKind::IfExp: return "conditional expression";
    case ExprKind::UnaryOp:
      if (e.text == kStarredNode) return "starred";
      if (e.text == kLambdaNode) return "lambda";
      if (e.text == kDictNode) return "dict literal";
      if (e.text == kSetNode) return "set display";
      if (e.text == kListCompNode) return "list comprehension";
      if (e.text == kSetCompNode) return "set comprehension";
      if (e.text == kDictCompNode) return "dict comprehension";
      if (e.text == kGenExpNode) return "generator expression";
      if (e.text == kYieldNode) return "yield expression";
      if (e.text == kAwaitNode) return "await expression";
      if (e.text == kNamedExprNode) return "named expression";
      if (e.text == kBytesNode) return "literal";
      return "expression";
  }
  return "expression";
}

enum class Targets { Star, For, Del };

// CPython's _PyPegen_get_invalid_target: the first part of an assignment (or for/del) target that
// cannot be assigned to, or null when the whole target is valid.
const Expr* invalid_target(const Expr& e, Targets kind) {
  switch (e.kind) {
    case ExprKind::Name:
    case ExprKind::Attribute:
    case ExprKind::Subscript: return nullptr;
    case ExprKind::Tuple:
    case ExprKind::List:
      for (const auto& item : e.items)
        if (const Expr* bad = invalid_target(*item, kind)) return bad;
      return nullptr;
    case ExprKind::Compare:
      // In `for x in y`, a bad target reads as the comparison `x in y`.
      if (kind == Targets::For) return e.ops.front() == "in" ? invalid_target(*e.a, kind) : nullptr;
      return &e;
    default:
      if (is_starred(e) && kind != Targets::Del) return invalid_target(*e.a, kind);
      return &e;
  }
}

bool soft_keyword_like(std::string_view name) {
  // CPython 3.11 matches soft keywords by prefix here (strncmp with the name's length), so "c"
  // and "ma" count too; the "Perhaps you forgot a comma?" rule skips them.
  auto prefix_of = [&](std::string_view kw) { return !name.empty() && name.size() <= kw.size() && kw.substr(0, name.size()) == name; };
  return name == "_" || prefix_of("match") || prefix_of("case");
}

// --- f-string field scanning results ---------------------------------------------------------

struct Shared;

// The expression tree being built, with its depth (bounded, so that nothing that walks the tree
// recursively can overflow the stack).
struct PExpr {
  ExprPtr e;
  int depth = 1;
  // The tokens it was parsed from, parentheses included: a parent node starts where its first
  // operand's tokens start, as in CPython ("(a) + b" starts at the '(').
  std::size_t first = 0, last = 0;
  Expr* operator->() const { return e.get(); }
  Expr& operator*() const { return *e; }
};

// State shared by the parser of a program and the parsers of its f-string expressions.
struct Shared {
  explicit Shared(const std::string& source) : text(source) {}
  const std::string& text;
  int nesting = 0;      // active expression() calls
  int brackets = 0;     // of which inside brackets
  int block_depth = 0;  // nested blocks (indentation levels and elif chains)

  // Raised after a successful parse, in this order: CPython's symbol table errors, its compiler
  // errors, then the first construct outside the subset.
  std::vector<PyError> symtable_errors, compile_errors;  // successive earliest ones
  std::optional<PyError> not_implemented;

  // The statement being parsed: its first construct outside the subset, and whether it has a
  // lambda (which makes it an Unsupported statement).
  std::optional<PyError> stmt_not_implemented;
  bool stmt_lambda = false;
  int discard = 0;  // > 0 inside statements that become Unsupported

  enum class Scope { Module, Function, Class };
  Scope scope = Scope::Module;
  // CPython's compiler allows 20 nested loops, try and with blocks in one function (CO_MAXBLOCKS).
  int static_blocks = 0;
  bool in_async = false;
  bool in_loop = false;
};

bool before(const PyError& a, const PyError& b) { return a.line < b.line || (a.line == b.line && a.col < b.col); }

class Parser {
 public:
  Parser(Shared& shared, const TokenStream& ts) : sh_(shared), ts_(ts), t_(ts.tokens), memo_(ts.tokens.size(), 0) {}

  Module file() {
    Module m;
    while (peek().type != Tok::EndMarker) statement(m.body);
    return m;
  }

  // The expression of an f-string replacement field: `star_expressions` up to the end.
  PExpr fstring_expression() {
    PExpr e = at_kw(Kw::Yield) ? yield_expr() : star_expressions();
    if (peek().type != Tok::EndMarker) fail();
    if (is_starred(*e)) error_at(*e, "cannot use starred expression here");
    return e;
  }

 private:
  // ===========================================================================================
  // Tokens
  // ===========================================================================================

  const Token& peek(std::size_t k = 0) {
    const std::size_t i = std::min(pos_ + k, t_.size() - 1);
    if (i > furthest_) furthest_ = i;
    if (i > fetched_) fetched_ = i;
    const Token& t = t_[i];
    // Reading past where the tokenizer stopped raises its error there and then, as in CPython.
    if (t.type == Tok::End) throw TokenizerFail(ts_.error_at_end ? *ts_.error_at_end : never_closed(ts_.open.back()));
    return t;
  }
  const Token& prev() const { return t_[pos_ == 0 ? 0 : pos_ - 1]; }
  void advance() {
    if (pos_ + 1 < t_.size()) ++pos_;
  }
  bool at_op(Op o, std::size_t k = 0) {
    const Token& t = peek(k);
    return t.type == Tok::Op && t.op == o;
  }
  bool at_kw(Kw w, std::size_t k = 0) {
    const Token& t = peek(k);
    return t.type == Tok::Name && t.kw == w;
  }
  bool at_name(std::size_t k = 0) {
    const Token& t = peek(k);
    return t.type == Tok::Name && t.kw == Kw::None;
  }
  bool at_type(Tok type, std::size_t k = 0) { return peek(k).type == type; }
  bool accept_op(Op o) {
    if (!at_op(o)) return false;
    advance();
    return true;
  }
  void expect_op(Op o) {
    if (!accept_op(o)) fail();
  }
  std::string_view text_of(const Token& t) const {
    return std::string_view(sh_.text).substr(t.begin, t.end - t.begin);
  }
  bool is_name_text(std::size_t k, std::string_view s) { return at_name(k) && text_of(peek(k)) == s; }

  // The index of the first token at or after a position (tokens are in source order).
  std::size_t token_at_or_after(int line, int col) const {
    const auto it = std::lower_bound(t_.begin(), t_.end(), std::pair<int, int>(line, col),
                                     [](const Token& t, const std::pair<int, int>& p) {
                                       return t.line < p.first || (t.line == p.first && t.col < p.second);
                                     });
    return static_cast<std::size_t>(it - t_.begin());
  }
  std::size_t token_after(const Expr& e) const { return token_at_or_after(e.end_line, e.end_col); }
  std::size_t token_of(const Expr& e) const { return token_at_or_after(e.line, e.col); }
  bool token_is_op(std::size_t i, Op o) const { return i < t_.size() && t_[i].type == Tok::Op && t_[i].op == o; }
  // `(x)`: the expression sits between a '(' and a ')' of its own.
  bool parenthesized(const Expr& e) const {
    const std::size_t first = token_of(e);
    return first > 0 && token_is_op(first - 1, Op::LPar) && token_is_op(token_after(e), Op::RPar);
  }

  // ===========================================================================================
  // Errors
  // ===========================================================================================

  // The plain grammar failed: CPython's generic error at the furthest token looked at.
  [[noreturn]] void fail() {
    const Token& t = t_[furthest_];
    if (t.type == Tok::Indent) throw GenericFail(positioned("IndentationError", "unexpected indent", t.line, t.col));
    if (t.type == Tok::Dedent) throw GenericFail(positioned("IndentationError", "unexpected unindent", t.line, t.col));
    // CPython's end-of-input token has no column; the error says 0.
    if (t.type == Tok::EndMarker && !ts_.text.empty())
      throw GenericFail(positioned("SyntaxError", "invalid syntax", t.line, 0));
    if (t.type == Tok::End && !ts_.error_at_end && !ts_.open.empty()) throw GenericFail(never_closed(ts_.open.back()));
    throw GenericFail(positioned("SyntaxError", "invalid syntax", t.line, t.col));
  }
  [[noreturn]] void error(const char* type, const std::string& message, int line, int col) {
    throw positioned(type, message, line, col);
  }
  [[noreturn]] void error_at(const Token& t, const std::string& message) { error("SyntaxError", message, t.line, t.col); }
  [[noreturn]] void error_at(const Expr& e, const std::string& message) { error("SyntaxError", message, e.line, e.col); }
  // A trial of an alternative of CPython's first pass, where the invalid_* rules are off.
  struct FirstPass {
    explicit FirstPass(Parser& p) : p_(p) { ++p.invalid_off_; }
    ~FirstPass() { --p_.invalid_off_; }
    FirstPass(const FirstPass&) = delete;
    FirstPass& operator=(const FirstPass&) = delete;
    Parser& p_;
  };

  // An error of one of CPython's invalid_* rules: inside expression_without_invalid those rules
  // are off, and the construct simply fails to parse.
  [[noreturn]] void invalid_rule(const Token& t, const std::string& message) {
    if (invalid_off_) fail();
    error_at(t, message);
  }
  [[noreturn]] void invalid_rule(const Expr& e, const std::string& message) {
    if (invalid_off_) fail();
    error_at(e, message);
  }
  [[noreturn]] void invalid_rule_here(const std::string& message) {
    if (invalid_off_) fail();
    error_here(message);
  }
  // CPython's RAISE_SYNTAX_ERROR without a location: at the last token read by either pass.
  [[noreturn]] void error_here(const std::string& message) { error_at(t_[fetched_], message); }

  // Kept as successive earliest errors, so that a trial parse can drop the ones it added.
  void compile_error(const std::string& message, int line, int col) {
    PyError e = positioned("SyntaxError", message, line, col);
    if (sh_.compile_errors.empty() || before(e, sh_.compile_errors.back())) sh_.compile_errors.push_back(e);
  }
  void symtable_error(const std::string& message, int line, int col) {
    PyError e = positioned("SyntaxError", message, line, col);
    if (sh_.symtable_errors.empty() || before(e, sh_.symtable_errors.back())) sh_.symtable_errors.push_back(e);
  }
  void not_implemented(const char* construct, int line, int col) {
    if (sh_.discard > 0 || sh_.stmt_not_implemented) return;
    PyError e = positioned("NotImplementedError", cat("Logit Lab does not support ", construct, " yet"), line, col);
    e.playground = true;
    sh_.stmt_not_implemented = e;
  }
  void not_implemented(const char* construct, const Expr& e) { not_implemented(construct, e.line, e.col); }

 public:
  static PyError never_closed(const OpenBracket& b) {
    return positioned("SyntaxError", cat("'", b.ch, "' was never closed"), b.line, b.col);
  }

 private:
  // Undoing a trial parse. rewind() keeps furthest_, as when CPython's first pass tries another
  // alternative; restore() also forgets how far the trial read, as for the checks of CPython's
  // second pass, which do not move the position of a generic error.
  struct Snapshot {
    std::size_t pos, furthest;
    std::uint32_t symtable_errors, compile_errors;
    bool had_not_implemented, stmt_lambda;
  };
  Snapshot snapshot() const {
    return {pos_, furthest_, static_cast<std::uint32_t>(sh_.symtable_errors.size()),
            static_cast<std::uint32_t>(sh_.compile_errors.size()), sh_.stmt_not_implemented.has_value(), sh_.stmt_lambda};
  }
  void rewind(const Snapshot& s) {
    pos_ = s.pos;
    failed_trailer_ = false;
    sh_.symtable_errors.resize(s.symtable_errors, PyError("", ""));
    sh_.compile_errors.resize(s.compile_errors, PyError("", ""));
    if (!s.had_not_implemented) sh_.stmt_not_implemented.reset();
    sh_.stmt_lambda = s.stmt_lambda;
  }
  void restore(const Snapshot& s) {
    rewind(s);
    furthest_ = s.furthest;
  }
  void rewind_to(std::size_t pos) {
    pos_ = pos;
    failed_trailer_ = false;
  }
  // Where my recursive descent stops at the first failure, a PEG parser backs up to the longest
  // part that parsed. That matters in the checks of the second pass.
  bool backtracks() const { return longest_prefix_ || invalid_off_ > 0; }

  // CPython memoizes `expression` and `disjunction` at each position, including what the checks
  // of its second pass parsed with invalid_* rules off: a later parse there runs none of them.
  static constexpr std::uint8_t kMemoExpression = 1, kMemoDisjunction = 2;
  struct Memo {
    Memo(Parser& p, std::size_t at, std::uint8_t bit) : p_(p), at_(at), bit_(bit), off_(p.memo_[at] & bit) {
      if (off_) ++p.invalid_off_;
    }
    ~Memo() {
      if (off_) --p_.invalid_off_;
      if (p_.without_invalid_ > 0) p_.memo_[at_] |= bit_;
    }
    Memo(const Memo&) = delete;
    Memo& operator=(const Memo&) = delete;
    Parser& p_;
    std::size_t at_;
    std::uint8_t bit_;
    bool off_;
  };

  // ===========================================================================================
  // Nodes
  // ===========================================================================================

  std::size_t index_of(const Token& t) const { return static_cast<std::size_t>(&t - t_.data()); }

  // A node starting at a token of this parser's stream.
  PExpr node(ExprKind kind, const Token& first) {
    PExpr p = node_at(kind, first.line, first.col);
    p->end_line = first.end_line;
    p->end_col = first.end_col;
    p.first = p.last = index_of(first);
    return p;
  }
  // A node whose first operand is `from`.
  PExpr node(ExprKind kind, const PExpr& from) {
    PExpr p = node(kind, t_[from.first]);
    p.last = from.last;
    p->end_line = t_[from.last].end_line;
    p->end_col = t_[from.last].end_col;
    return p;
  }
  PExpr node_at(ExprKind kind, int line, int col) {
    PExpr p{std::make_unique<Expr>(), 1};
    p->kind = kind;
    p->line = p->end_line = line;
    p->col = p->end_col = col;
    return p;
  }
  PExpr marker(const char* text, const Token& first) {
    PExpr p = node(ExprKind::UnaryOp, first);
    p->text = text;
    return p;
  }
  PExpr marker(const char* text, const PExpr& from) {
    PExpr p = node(ExprKind::UnaryOp, from);
    p->text = text;
    return p;
  }
  // Ends the node at the last token read.
  void end_here(PExpr& p) {
    p.last = pos_ == 0 ? 0 : pos_ - 1;
    p->end_line = prev().end_line;
    p->end_col = prev().end_col;
  }
  void end_at(PExpr& p, const PExpr& last) {
    p.last = last.last;
    p->end_line = t_[last.last].end_line;
    p->end_col = t_[last.last].end_col;
  }
  void grow(PExpr& parent, int child_depth) {
    if (child_depth + 1 > parent.depth) parent.depth = child_depth + 1;
    if (parent.depth > kMaxExpressionDepth) too_deep(*parent);
  }
  void set_a(PExpr& parent, PExpr child) {
    grow(parent, child.depth);
    parent->a = std::move(child.e);
  }
  void set_b(PExpr& parent, PExpr child) {
    grow(parent, child.depth);
    parent->b = std::move(child.e);
  }
  void set_c(PExpr& parent, PExpr child) {
    grow(parent, child.depth);
    parent->c = std::move(child.e);
  }
  void add_item(PExpr& parent, PExpr child) {
    grow(parent, child.depth);
    parent->items.push_back(std::move(child.e));
  }
  [[noreturn]] void too_deep(const Expr&) { too_deep_here(); }

  // An expression() call: bounded, so that deeply nested input gives an error, not a crash.
  struct Nesting {
    Nesting(Parser& p) : p_(p) {
      if (++p.sh_.nesting > kMaxNesting + 1) {  // the statement's own expression is not nested
        const Token& t = p.peek();
        if (t.level > kMaxNesting / 2) p.error_at(t, "too many nested parentheses");
        p.error_at(t, cat("expression too deeply nested (Logit Lab allows ", kMaxNesting, " levels)"));
      }
    }
    ~Nesting() { --p_.sh_.nesting; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    Parser& p_;
  };

  // ===========================================================================================
  // Statements
  // ===========================================================================================

  StmtPtr stmt(StmtKind kind, const Token& first) {
    auto s = std::make_unique<Stmt>();
    s->kind = kind;
    s->line = first.line;
    s->col = first.col;
    return s;
  }
  StmtPtr unsupported(const char* text, int line, int col) {
    auto s = std::make_unique<Stmt>();
    s->kind = StmtKind::Unsupported;
    s->text = text;
    s->line = line;
    s->col = col;
    return s;
  }

  // One statement's bookkeeping of constructs outside the subset (see Shared).
  class StmtScope {
   public:
    explicit StmtScope(Parser& p) : p_(p), outer_ni_(std::move(p.sh_.stmt_not_implemented)), outer_lambda_(p.sh_.stmt_lambda) {
      p.sh_.stmt_not_implemented.reset();
      p.sh_.stmt_lambda = false;
    }
    ~StmtScope() {
      p_.sh_.stmt_not_implemented = std::move(outer_ni_);
      p_.sh_.stmt_lambda = outer_lambda_;
    }
    StmtScope(const StmtScope&) = delete;
    StmtScope& operator=(const StmtScope&) = delete;
    bool has_lambda() const { return p_.sh_.stmt_lambda; }
    // A statement with a lambda is Unsupported; otherwise its first unsupported expression is
    // kept for the NotImplementedError.
    StmtPtr finish(StmtPtr s) {
      Shared& sh = p_.sh_;
      if (sh.stmt_lambda && s->kind != StmtKind::Unsupported) s = p_.unsupported("'lambda' expressions", s->line, s->col);
      if (s->kind != StmtKind::Unsupported && sh.stmt_not_implemented && sh.discard == 0 &&
          (!sh.not_implemented || before(*sh.stmt_not_implemented, *sh.not_implemented)))
        sh.not_implemented = sh.stmt_not_implemented;
      return s;
    }

   private:
    Parser& p_;
    std::optional<PyError> outer_ni_;
    bool outer_lambda_;
  };

  struct Discard {
    explicit Discard(Shared& sh, bool on = true) : sh_(sh), on_(on) {
      if (on_) ++sh_.discard;
    }
    ~Discard() {
      if (on_) --sh_.discard;
    }
    Discard(const Discard&) = delete;
    Discard& operator=(const Discard&) = delete;
    Shared& sh_;
    bool on_;
  };

  // The scope that 'return', 'yield', 'break', 'await' are checked against.
  struct ScopeGuard {
    ScopeGuard(Shared& sh, Shared::Scope scope, bool async, bool loop, bool new_code = false)
        : sh_(sh), scope_(sh.scope), async_(sh.in_async), loop_(sh.in_loop), blocks_(sh.static_blocks) {
      if (new_code) sh.static_blocks = 0;
      sh.scope = scope;
      sh.in_async = async;
      sh.in_loop = loop;
    }
    ~ScopeGuard() {
      sh_.scope = scope_;
      sh_.in_async = async_;
      sh_.in_loop = loop_;
      sh_.static_blocks = blocks_;
    }
    ScopeGuard(const ScopeGuard&) = delete;
    ScopeGuard& operator=(const ScopeGuard&) = delete;
    Shared& sh_;
    Shared::Scope scope_;
    bool async_, loop_;
    int blocks_;
  };

  // While parsing the body of a loop, with or try: CPython's compiler's "static blocks".
  struct StaticBlocks {
    StaticBlocks(Parser& p, const Token& at, int n) : sh_(p.sh_), n_(n) {
      sh_.static_blocks += n;
      if (sh_.static_blocks > kMaxStaticBlocks) p.compile_error("too many statically nested blocks", at.line, at.col);
    }
    ~StaticBlocks() { sh_.static_blocks -= n_; }
    StaticBlocks(const StaticBlocks&) = delete;
    StaticBlocks& operator=(const StaticBlocks&) = delete;
    Shared& sh_;
    int n_;
  };

  void statement(std::vector<StmtPtr>& out) {
    const Token& t = peek();
    if (t.type == Tok::Name) {
      switch (t.kw) {
        case Kw::If: out.push_back(if_stmt()); return;
        case Kw::Try: out.push_back(try_stmt()); return;
        case Kw::For:
        case Kw::While:
        case Kw::Def:
        case Kw::Class:
        case Kw::With:
        case Kw::Async: out.push_back(unsupported_compound()); return;
        case Kw::None:
          if (text_of(t) == "match") {
            if (StmtPtr s = match_stmt()) {
              out.push_back(std::move(s));
              return;
            }
            const std::size_t start = pos_;
            try {
              simple_stmts(out);
            } catch (const GenericFail&) {
              invalid_match(start);
              throw;
            }
            return;
          }
          break;
        default: break;
      }
    } else if (t.type == Tok::Op && t.op == Op::At) {
      out.push_back(unsupported_compound());
      return;
    }
    simple_stmts(out);
  }

  void simple_stmts(std::vector<StmtPtr>& out) {
    for (;;) {
      out.push_back(simple_stmt());
      if (accept_op(Op::Semi)) {
        if (at_type(Tok::Newline)) break;
        continue;
      }
      if (at_type(Tok::Newline)) break;
      fail();
    }
    advance();
  }

  StmtPtr simple_stmt() {
    StmtScope scope(*this);
    return scope.finish(simple_stmt_body());
  }

  StmtPtr simple_stmt_body() {
    const Token& t = peek();
    if (t.type == Tok::Name) {
      switch (t.kw) {
        case Kw::Pass: advance(); return stmt(StmtKind::Pass, t);
        case Kw::Import: return import_name();
        case Kw::From: return import_from();
        case Kw::Return: return return_stmt();
        case Kw::Raise: return raise_stmt();
        case Kw::Global:
        case Kw::Nonlocal: return global_stmt();
        case Kw::Del: return del_stmt();
        case Kw::Assert: return assert_stmt();
        case Kw::Break:
        case Kw::Continue: return break_continue();
        case Kw::Yield: return yield_stmt();
        default: break;
      }
    }
    return expression_stmt();
  }

  // --- assignment and expression statements ----------------------------------------------

  StmtPtr expression_stmt() {
    const Token& first = peek();
    PExpr e = star_expressions();
    if (at_op(Op::Colon)) return annotated_assignment(std::move(e));
    if (at_op(Op::Equal)) return assignment(std::move(e));
    if (const char* op = augassign_op(peek())) return aug_assignment(std::move(e), op);
    check_value(*e);
    StmtPtr s = stmt(StmtKind::ExprStmt, first);
    s->value = std::move(e.e);
    return s;
  }

  // An expression whose value is used (not an assignment target).
  void check_value(const Expr& e) {
    if (is_starred(e)) compile_error("can't use starred expression here", e.line, e.col);
  }

  static const char* augassign_op(const Token& t) {
    if (t.type != Tok::Op) return nullptr;
    switch (t.op) {
      case Op::PlusEqual: return "+";
      case Op::MinusEqual: return "-";
      case Op::StarEqual: return "*";
      case Op::SlashEqual: return "/";
      case Op::DoubleSlashEqual: return "//";
      case Op::PercentEqual: return "%";
      case Op::AtEqual: return "@";
      case Op::AmperEqual: return "&";
      case Op::VBarEqual: return "|";
      case Op::CircumflexEqual: return "^";
      case Op::LeftShiftEqual: return "<<";
      case Op::RightShiftEqual: return ">>";
      case Op::DoubleStarEqual: return "**";
      default: return nullptr;
    }
  }

  StmtPtr assignment(PExpr first) {
    std::vector<PExpr> parts;
    std::vector<std::size_t> equals;
    parts.push_back(std::move(first));
    while (at_op(Op::Equal)) {
      equals.push_back(pos_);
      // CPython reads targets only while they are targets; at the first one that is not, its
      // second pass complains before reading what follows the '='.
      if (is_marker(*parts.back(), kYieldNode) || invalid_target(*parts.back(), Targets::Star))
        assignment_error(parts, equals);
      advance();
      if (!can_start_expression(peek()) && !at_op(Op::Star) && !at_kw(Kw::Yield)) {
        assignment_error(parts, equals);  // nothing after '=': the assignment rule failed
        fail();
      }
      parts.push_back(at_kw(Kw::Yield) ? yield_expr() : star_expressions());
    }
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
      if (is_starred(*parts[i]))
        compile_error("starred assignment target must be in a list or tuple", parts[i]->line, parts[i]->col);
    check_value(*parts.back());
    StmtPtr s = stmt(StmtKind::Assign, t_[parts.front().first]);
    s->value = std::move(parts.back().e);
    parts.pop_back();
    for (auto& p : parts) s->targets.push_back(std::move(p.e));
    return s;
  }

  // CPython's second pass over a failed assignment `T1 = T2 = ... = Tn = ...`: parts T1..Tn, each
  // followed by the '=' at `equals`. Returns when no rule applies.
  void assignment_error(const std::vector<PExpr>& parts, const std::vector<std::size_t>& equals) {
    // invalid_named_expression, on the last element of T1 (the one the first '=' follows).
    const Expr& t1 = *parts.front();
    const Expr& last = (t1.kind == ExprKind::Tuple && is_bare_tuple(t1)) ? *t1.items.back() : t1;
    if (!is_starred(last)) invalid_named_expression(last, equals.front());
    for (const auto& part : parts) {
      if (is_marker(*part, kYieldNode)) error_at(*part, "assignment to yield expression not possible");
      if (const Expr* bad = invalid_target(*part, Targets::Star)) error_at(*bad, cat("cannot assign to ", expr_name(*bad)));
    }
  }

  bool is_bare_tuple(const Expr& e) const {
    return e.kind == ExprKind::Tuple && !e.items.empty() && e.items.front()->line == e.line && e.items.front()->col == e.col;
  }

  // Could `e` be what CPython's `bitwise_or` rule parses (no comparison, not, and/or, if-else,
  // lambda at its top unless in parentheses)?
  bool is_bitwise_or(const Expr& e) const {
    if (parenthesized(e)) return true;
    switch (e.kind) {
      case ExprKind::Compare:
      case ExprKind::BoolOp:
      case ExprKind::IfExp: return false;
      case ExprKind::Tuple: return !is_bare_tuple(e);
      case ExprKind::UnaryOp:
        return e.text != "not" && e.text != kStarredNode && e.text != kLambdaNode && e.text != kYieldNode &&
               e.text != kNamedExprNode;
      default: return true;
    }
  }

  // `!(list|tuple|genexp|'True'|'None'|'False')` before a bitwise_or.
  bool starts_with_excluded_atom(const Expr& e) const {
    const Expr* n = &e;
    for (;;) {
      if (n->kind == ExprKind::List || n->kind == ExprKind::None || n->kind == ExprKind::Bool ||
          is_marker(*n, kGenExpNode) || (n->kind == ExprKind::Tuple && !is_bare_tuple(*n)))
        return true;
      const bool left_operand = n->kind == ExprKind::BinOp || n->kind == ExprKind::Attribute ||
                                n->kind == ExprKind::Call || n->kind == ExprKind::Subscript;
      if (!left_operand || !n->a || n->a->line != n->line || n->a->col != n->col || parenthesized(*n->a)) return false;
      n = n->a.get();
    }
  }

  // At token index i: does an expression parse? (A second-pass look.)
  bool expression_follows(std::size_t i) {
    if (invalid_off_) return false;
    const Snapshot s = snapshot();
    pos_ = i;
    bool ok = false;
    if (can_start_expression(peek())) {
      try {
        expression();
        ok = true;
      } catch (const GenericFail&) {
      }
    }
    restore(s);
    return ok;
  }

  // At token index i: does a bitwise_or parse, not followed by '=' or ':='?
  bool bitwise_or_follows(std::size_t i) {
    const Snapshot s = snapshot();
    pos_ = i;
    bool ok = false;
    if (can_start_bitwise_or(peek())) {
      longest_prefix_ = true;
      try {
        bitwise_or();
        ok = !at_op(Op::Equal) && !at_op(Op::ColonEqual);
      } catch (const GenericFail&) {
        ok = false;
      }
      longest_prefix_ = false;
    }
    restore(s);
    return ok;
  }

  StmtPtr aug_assignment(PExpr target, const char* op) {
    const ExprKind k = target->kind;
    if (k != ExprKind::Name && k != ExprKind::Attribute && k != ExprKind::Subscript) {
      // Only CPython's second pass reads the value after such a target.
      const Snapshot s = snapshot();
      try {
        advance();
        if (at_kw(Kw::Yield)) yield_expr();
        else star_expressions();
      } catch (const GenericFail&) {
        restore(s);
        fail();
      }
      error_at(*target, cat("'", expr_name(*target), "' is an illegal expression for augmented assignment"));
    }
    advance();
    PExpr value = at_kw(Kw::Yield) ? yield_expr() : star_expressions();
    check_value(*value);
    StmtPtr s = stmt(StmtKind::AugAssign, t_[target.first]);
    s->text = op;
    s->targets.push_back(std::move(target.e));
    s->value = std::move(value.e);
    return s;
  }

  StmtPtr annotated_assignment(PExpr target) {
    const ExprKind k = target->kind;
    const bool valid = !is_bare_tuple(*target) && (k == ExprKind::Name || k == ExprKind::Attribute || k == ExprKind::Subscript);
    if (!valid) {
      // Only CPython's second pass reads on after such a target: `x + 1: int`.
      const Snapshot s = snapshot();
      try {
        advance();
        expression();
      } catch (const GenericFail&) {
        restore(s);
        fail();
      }
      if (k == ExprKind::Tuple || k == ExprKind::List)
        error_at(*target, cat("only single target (not ", expr_name(*target), ") can be annotated"));
      error_at(*target, "illegal target for annotation");
    }
    advance();  // ':'
    expression();  // the annotation
    if (accept_op(Op::Equal)) {
      PExpr value = at_kw(Kw::Yield) ? yield_expr() : star_expressions();
      check_value(*value);
    }
    return unsupported("variable annotations", t_[target.first].line, t_[target.first].col);
  }

  StmtPtr yield_stmt() {
    PExpr y = yield_expr();
    if (at_op(Op::Equal)) error_at(*y, "assignment to yield expression not possible");
    return unsupported(what::kYield, y->line, y->col);
  }

  // --- other simple statements -------------------------------------------------------------

  std::string dotted_name() {
    if (!at_name()) fail();
    std::string name(text_of(peek()));
    advance();
    while (at_op(Op::Dot)) {
      advance();
      if (!at_name()) fail();
      name += '.';
      name += text_of(peek());
      advance();
    }
    return name;
  }

  std::string as_name() {
    if (!at_kw(Kw::As)) return "";
    advance();
    if (!at_name()) fail();
    std::string name(text_of(peek()));
    advance();
    return name;
  }

  StmtPtr import_name() {
    StmtPtr s = stmt(StmtKind::Import, peek());
    advance();
    do {
      std::string module = dotted_name();
      s->names.emplace_back(std::move(module), as_name());
    } while (accept_op(Op::Comma));
    return s;
  }

  StmtPtr import_from() {
    StmtPtr s = stmt(StmtKind::ImportFrom, peek());
    advance();
    std::string module;
    for (;;) {
      if (at_op(Op::Dot)) module += ".";
      else if (at_op(Op::Ellipsis)) module += "...";
      else break;
      advance();
    }
    if (at_name() || module.empty()) module += dotted_name();
    if (!at_kw(Kw::Import)) fail();
    advance();
    s->module = std::move(module);
    if (accept_op(Op::Star)) {
      s->names.emplace_back("*", "");
      return s;
    }
    const bool parens = accept_op(Op::LPar);
    for (;;) {
      if (!at_name()) fail();
      std::string name(text_of(peek()));
      advance();
      s->names.emplace_back(std::move(name), as_name());
      if (!accept_op(Op::Comma)) break;
      if (parens && at_op(Op::RPar)) break;
      if (!parens && at_type(Tok::Newline)) error_here("trailing comma not allowed without surrounding parentheses");
    }
    if (parens) expect_op(Op::RPar);
    return s;
  }

  StmtPtr return_stmt() {
    const Token& t = peek();
    advance();
    if (can_start_expression(peek()) || at_op(Op::Star)) check_value(*star_expressions());
    if (sh_.scope != Shared::Scope::Function) compile_error("'return' outside function", t.line, t.col);
    return unsupported("'return' statements", t.line, t.col);
  }

  StmtPtr raise_stmt() {
    const Token& t = peek();
    advance();
    if (can_start_expression(peek())) {
      expression();
      if (at_kw(Kw::From)) {
        advance();
        expression();
      }
    }
    return unsupported("'raise' statements", t.line, t.col);
  }

  StmtPtr global_stmt() {
    const Token& t = peek();
    const bool nonlocal = t.kw == Kw::Nonlocal;
    advance();
    do {
      if (!at_name()) fail();
      advance();
    } while (accept_op(Op::Comma));
    if (nonlocal && sh_.scope == Shared::Scope::Module) symtable_error("nonlocal declaration not allowed at module level", t.line, t.col);
    return unsupported(nonlocal ? "'nonlocal' statements" : "'global' statements", t.line, t.col);
  }

  StmtPtr del_stmt() {
    const Token& t = peek();
    advance();
    const Snapshot s = snapshot();
    bool ok = true;
    try {
      FirstPass first_pass(*this);
      do {
        if (at_op(Op::Semi) || at_type(Tok::Newline)) break;
        if (invalid_target(*primary(), Targets::Del)) ok = false;
      } while (ok && accept_op(Op::Comma));
      if (prev().type == Tok::Name && prev().kw == Kw::Del) ok = false;  // nothing to delete
      if (!at_op(Op::Semi) && !at_type(Tok::Newline)) ok = false;
    } catch (const GenericFail&) {
      ok = false;
    }
    if (!ok) {
      rewind(s);
      bad_targets(Targets::Del);
    }
    return unsupported("'del' statements", t.line, t.col);
  }

  StmtPtr assert_stmt() {
    const Token& t = peek();
    advance();
    expression();
    if (accept_op(Op::Comma)) expression();
    return unsupported("'assert' statements", t.line, t.col);
  }

  StmtPtr break_continue() {
    const Token& t = peek();
    const bool is_break = t.kw == Kw::Break;
    advance();
    if (!sh_.in_loop) compile_error(is_break ? "'break' outside loop" : "'continue' not properly in loop", t.line, t.col);
    return unsupported(is_break ? "'break' statements" : "'continue' statements", t.line, t.col);
  }

  // --- blocks ------------------------------------------------------------------------------

  struct BlockDepth {
    BlockDepth(Parser& p, int extra = 0) : p_(p) {
      if (++p.sh_.block_depth + extra > kMaxBlockDepth)
        p.error_at(p.peek(), "too many statically nested blocks");
    }
    ~BlockDepth() { --p_.sh_.block_depth; }
    BlockDepth(const BlockDepth&) = delete;
    BlockDepth& operator=(const BlockDepth&) = delete;
    Parser& p_;
  };

  // The body after a compound statement's ':'. `what` names the statement for
  // "expected an indented block after 'if' statement on line 3".
  std::vector<StmtPtr> block(const char* what, int line, int extra_depth = 0) {
    BlockDepth depth(*this, extra_depth);
    std::vector<StmtPtr> body;
    if (!at_type(Tok::Newline)) {
      simple_stmts(body);
      return body;
    }
    advance();
    if (!at_type(Tok::Indent)) {
      const Token& t = peek();
      error("IndentationError", cat("expected an indented block after ", what, " on line ", line), t.line, t.col);
    }
    advance();
    while (!at_type(Tok::Dedent)) statement(body);
    advance();
    return body;
  }

  // The ':' after `if x`, `while x`, `elif x`: "expected ':'" when the line ends there.
  void colon_after_condition() {
    if (at_type(Tok::Newline)) error_here("expected ':'");
    expect_op(Op::Colon);
  }
  // A ':' that CPython forces (`&&':'`): "expected ':'" at whatever comes instead.
  void forced_colon() {
    if (!at_op(Op::Colon)) error_at(peek(), "expected ':'");
    advance();
  }

  StmtPtr if_stmt() {
    StmtScope scope(*this);
    const Token& kw = peek();
    advance();
    PExpr test = named_expression();
    const bool lambda = scope.has_lambda();
    Discard discard(sh_, lambda);
    colon_after_condition();
    StmtPtr top = stmt(StmtKind::If, kw);
    top->value = std::move(test.e);
    top->body = block("'if' statement", kw.line);
    // elif chains nest (orelse holds the next If); built without recursion.
    std::vector<StmtPtr> chain;
    while (at_kw(Kw::Elif)) {
      const Token& e = peek();
      advance();
      PExpr cond = named_expression();
      colon_after_condition();
      StmtPtr s = stmt(StmtKind::If, e);
      s->value = std::move(cond.e);
      s->body = block("'elif' statement", e.line, static_cast<int>(chain.size()) + 1);
      chain.push_back(std::move(s));
    }
    std::vector<StmtPtr> orelse;
    if (at_kw(Kw::Else)) {
      const Token& e = peek();
      advance();
      forced_colon();
      orelse = block("'else' statement", e.line, static_cast<int>(chain.size()));
    }
    while (!chain.empty()) {
      StmtPtr s = std::move(chain.back());
      chain.pop_back();
      s->orelse = std::move(orelse);
      orelse.clear();
      orelse.push_back(std::move(s));
    }
    top->orelse = std::move(orelse);
    if (scope.has_lambda()) return scope.finish(unsupported("'lambda' expressions", kw.line, kw.col));
    return scope.finish(std::move(top));
  }

  StmtPtr try_stmt() {
    StmtScope scope(*this);
    const Token& kw = peek();
    advance();
    forced_colon();
    StmtPtr s = stmt(StmtKind::Try, kw);
    // With both handlers and finally, CPython compiles the rest inside the finally's block.
    const int wrap = try_has_except_and_finally() ? 1 : 0;
    {
      StaticBlocks blocks(*this, kw, 1 + wrap);
      s->body = block("'try' statement", kw.line);
    }
    bool star = false;
    const Token* bare = nullptr;
    while (at_kw(Kw::Except)) {
      const Token& ex = peek();
      advance();
      ExceptHandler h;
      h.line = ex.line;
      h.col = ex.col;
      if (at_op(Op::Star)) {
        star = true;
        advance();
        if (at_op(Op::Colon) || at_type(Tok::Newline)) error_here("expected one or more exception types");
      }
      if (bare) compile_error("default 'except:' must be last", bare->line, bare->col);
      if (at_type(Tok::Newline)) error_here("expected ':'");
      if (!at_op(Op::Colon)) {
        PExpr type = expression();
        if (at_op(Op::Comma)) {
          // `except A, B:` (Python 2): only when the rest reads as names and a ':'.
          advance();
          do {
            if (at_op(Op::Colon) || at_kw(Kw::As)) break;
            expression();
          } while (accept_op(Op::Comma));
          if (at_kw(Kw::As)) {
            advance();
            if (!at_name()) fail();
            advance();
          }
          if (at_op(Op::Colon)) error_at(*type, "multiple exception types must be parenthesized");
          fail();
        }
        h.type = std::move(type.e);
        h.name = as_name();
        if (at_type(Tok::Newline)) error_here("expected ':'");
      } else if (!star) {
        bare = &ex;
      }
      expect_op(Op::Colon);
      {
        StaticBlocks blocks(*this, ex, 2 + wrap);  // the handler and its cleanup
        h.body = block(star ? "'except*' statement" : "'except' statement", ex.line);
      }
      s->handlers.push_back(std::move(h));
    }
    if (s->handlers.empty() && !at_kw(Kw::Finally)) error_here("expected 'except' or 'finally' block");
    if (!s->handlers.empty() && at_kw(Kw::Else)) {
      const Token& e = peek();
      advance();
      forced_colon();
      StaticBlocks blocks(*this, e, wrap);
      s->orelse = block("'else' statement", e.line);
    }
    if (at_kw(Kw::Finally)) {
      const Token& f = peek();
      advance();
      forced_colon();
      StaticBlocks blocks(*this, f, 1);
      s->finalbody = block("'finally' statement", f.line);
    }
    if (star) return scope.finish(unsupported("'except*' clauses", kw.line, kw.col));
    return scope.finish(std::move(s));
  }

  // Looking ahead from just after `try:`: does the statement have both except and finally
  // clauses? (They start lines at the try's own indentation.)
  bool try_has_except_and_finally() const {
    bool except = false, finally = false;
    int depth = 0;
    for (std::size_t i = pos_; i < t_.size(); ++i) {
      const Token& t = t_[i];
      if (t.type == Tok::Indent) ++depth;
      if (t.type == Tok::Dedent && --depth < 0) break;
      if (t.type == Tok::EndMarker || t.type == Tok::End) break;
      const Tok before = t_[i - 1].type;
      if (depth != 0 || (before != Tok::Newline && before != Tok::Dedent) || t.type == Tok::Dedent) continue;
      if (t.type != Tok::Name) break;
      if (t.kw == Kw::Except) except = true;
      else if (t.kw == Kw::Finally) finally = true;
      else if (t.kw != Kw::Else) break;
    }
    return except && finally;
  }

  // for, while, def, class, with, async, decorators: parsed in full, kept as Unsupported.
  StmtPtr unsupported_compound() {
    StmtScope scope(*this);
    Discard discard(sh_);
    const Token& first = peek();
    bool decorated = false;
    while (at_op(Op::At)) {
      decorated = true;
      advance();
      named_expression();
      if (!at_type(Tok::Newline)) fail();
      advance();
    }
    const Token* async = nullptr;
    if (at_kw(Kw::Async)) {
      async = &peek();
      advance();
      if (decorated ? !at_kw(Kw::Def) : !(at_kw(Kw::Def) || at_kw(Kw::For) || at_kw(Kw::With))) fail();
    }
    const char* text = nullptr;
    const Token& keyword = peek();  // CPython places a decorated definition at its 'def' or 'class'
    switch (keyword.kw) {
      case Kw::Def:
        function_def(async != nullptr);
        text = async ? "async function definitions ('async def')" : "function definitions ('def')";
        break;
      case Kw::Class:
        if (async) fail();
        class_def();
        text = "class definitions";
        break;
      case Kw::For:
        if (decorated) fail();
        if (async && !sh_.in_async) compile_error("'async for' outside async function", async->line, async->col);
        for_stmt();
        text = async ? "'async for' loops" : "'for' loops";
        break;
      case Kw::While:
        if (decorated || async) fail();
        while_stmt();
        text = "'while' loops";
        break;
      case Kw::With:
        if (decorated) fail();
        if (async && !sh_.in_async) compile_error("'async with' outside async function", async->line, async->col);
        with_stmt();
        text = async ? "'async with' statements" : "'with' statements";
        break;
      default: fail();
    }
    const Token& at = decorated ? keyword : first;
    return scope.finish(unsupported(text, at.line, at.col));
  }

  void function_def(bool async) {
    const Token& kw = peek();
    advance();
    if (!at_name()) fail();
    advance();
    if (!at_op(Op::LPar)) error_at(peek(), "expected '('");
    advance();
    parameters(false);
    expect_op(Op::RPar);
    if (accept_op(Op::Arrow)) expression();
    forced_colon();
    ScopeGuard scope(sh_, Shared::Scope::Function, async, false, true);
    block("function definition", kw.line);
  }

  // Parameters of a def (up to ')') or a lambda (up to ':'), with CPython's checks.
  void parameters(bool lambda) {
    const Op closer = lambda ? Op::Colon : Op::RPar;
    bool any = false, slash = false, star = false, kwargs = false, default_seen = false;
    std::vector<std::string_view> names;
    auto param = [&](bool annotated) {
      const Token& name = peek();
      if (!at_name()) fail();
      for (auto n : names)
        if (n == text_of(name)) symtable_error(cat("duplicate argument '", text_of(name), "' in function definition"), name.line, name.col);
      names.push_back(text_of(name));
      advance();
      if (!lambda && annotated && accept_op(Op::Colon)) {
        if (at_op(Op::Star)) {
          advance();
          bitwise_or();
        } else {
          expression();
        }
      }
      return &name;
    };
    while (!at_op(closer)) {
      if (kwargs) invalid_rule(peek(), "arguments cannot follow var-keyword argument");
      if (at_op(Op::Slash)) {
        if (!any) invalid_rule(peek(), "at least one argument must precede /");
        if (slash) invalid_rule(peek(), "/ may appear only once");
        if (star) invalid_rule(peek(), "/ must be ahead of *");
        slash = true;
        advance();
      } else if (at_op(Op::Star)) {
        const Token& s = peek();
        if (star && (at_name(1) || at_op(Op::Comma, 1))) invalid_rule(s, "* argument may appear only once");
        if (star) fail();
        star = true;
        advance();
        if (at_name()) {
          param(true);
          if (at_op(Op::Equal)) invalid_rule(peek(), "var-positional argument cannot have default value");
        } else if (at_op(closer) || (at_op(Op::Comma) && (at_op(closer, 1) || at_op(Op::DoubleStar, 1)))) {
          if (lambda) invalid_rule_here("named arguments must follow bare *");
          invalid_rule(s, "named arguments must follow bare *");
        }
      } else if (at_op(Op::DoubleStar)) {
        advance();
        param(true);
        if (at_op(Op::Equal)) invalid_rule(peek(), "var-keyword argument cannot have default value");
        kwargs = true;
      } else if (at_op(Op::LPar) && parenthesized_names()) {
        invalid_rule(peek(), lambda ? "Lambda expression parameters cannot be parenthesized"
                                : "Function parameters cannot be parenthesized");
      } else {
        const Token* name = param(true);
        if (at_op(Op::Equal)) {
          const Token& eq = peek();
          advance();
          if (at_op(Op::Comma) || at_op(closer)) invalid_rule(eq, "expected default value expression");
          expression();
          default_seen = true;
        } else if (default_seen && !star) {
          invalid_rule(*name, "non-default argument follows default argument");
        }
      }
      any = true;
      if (!accept_op(Op::Comma)) break;
    }
    if (!at_op(closer)) fail();
  }

  // At '(': names separated by commas, then ')'.
  bool parenthesized_names() {
    const Snapshot s = snapshot();
    const bool yes = parenthesized_names_ahead();
    restore(s);
    return yes;
  }
  bool parenthesized_names_ahead() {
    std::size_t k = 1;
    do {
      if (!at_name(k)) return false;
      ++k;
    } while (at_op(Op::Comma, k++) && !at_op(Op::RPar, k));
    return at_op(Op::RPar, k - 1) || at_op(Op::RPar, k);
  }

  void class_def() {
    const Token& kw = peek();
    advance();
    if (!at_name()) fail();
    advance();
    if (at_op(Op::LPar)) {
      PExpr dummy = node(ExprKind::Call, peek());
      call_arguments(dummy);
    }
    if (at_type(Tok::Newline)) error_here("expected ':'");
    expect_op(Op::Colon);
    ScopeGuard scope(sh_, Shared::Scope::Class, false, false, true);
    block("class definition", kw.line);
  }

  // `for` targets: star_targets, or CPython's invalid_for_target message.
  void for_targets() {
    const Snapshot s = snapshot();
    bool ok = true;
    try {
      FirstPass first_pass(*this);
      bool first = true;
      do {
        if (!first && at_kw(Kw::In)) break;
        first = false;
        const bool starred = accept_op(Op::Star);
        PExpr t = primary();
        if (invalid_target(*t, Targets::Star) || (starred && t->kind == ExprKind::Tuple)) ok = false;
      } while (ok && accept_op(Op::Comma));
      if (!at_kw(Kw::In)) ok = false;
    } catch (const GenericFail&) {
      ok = false;
    }
    if (ok) return;
    rewind(s);
    bad_targets(Targets::For);
  }

  // After targets failed to parse (for, del): CPython's second pass reads an expression there
  // and names its first part that cannot be a target; else the first pass's error stands.
  [[noreturn]] void bad_targets(Targets kind) {
    if (invalid_off_) fail();
    const Snapshot s = snapshot();
    const Expr* bad = nullptr;
    PExpr e;
    try {
      e = star_expressions();
      bad = invalid_target(*e, kind);
    } catch (const GenericFail&) {
    }
    if (bad) invalid_rule(*bad, cat(kind == Targets::Del ? "cannot delete " : "cannot assign to ", expr_name(*bad)));
    restore(s);
    fail();
  }

  void for_stmt() {
    const Token& kw = peek();
    advance();
    for_targets();
    advance();  // 'in'
    star_expressions();
    colon_after_condition();
    {
      ScopeGuard loop(sh_, sh_.scope, sh_.in_async, true);
      StaticBlocks blocks(*this, kw, 1);
      block("'for' statement", kw.line);
    }
    else_clause();
  }

  void while_stmt() {
    const Token& kw = peek();
    advance();
    named_expression();
    colon_after_condition();
    {
      ScopeGuard loop(sh_, sh_.scope, sh_.in_async, true);
      StaticBlocks blocks(*this, kw, 1);
      block("'while' statement", kw.line);
    }
    else_clause();
  }

  void else_clause() {
    if (!at_kw(Kw::Else)) return;
    const Token& e = peek();
    advance();
    forced_colon();
    block("'else' statement", e.line);
  }

  void with_stmt() {
    const Token& kw = peek();
    advance();
    bool done = false;
    if (at_op(Op::LPar)) {
      // `with (a as b, c as d):`, else the items start with a parenthesized expression.
      const Snapshot s = snapshot();
      try {
        FirstPass first_pass(*this);
        advance();
        do {
          if (at_op(Op::RPar)) break;
          with_item();
        } while (accept_op(Op::Comma));
        expect_op(Op::RPar);
        done = at_op(Op::Colon);
      } catch (const GenericFail&) {
        done = false;
      }
      if (!done) rewind(s);
    }
    if (!done) {
      do with_item();
      while (accept_op(Op::Comma));
    }
    if (at_type(Tok::Newline)) error_here("expected ':'");
    expect_op(Op::Colon);
    StaticBlocks blocks(*this, kw, 1);
    block("'with' statement", kw.line);
  }

  void with_item() {
    expression();
    if (!at_kw(Kw::As)) return;
    advance();
    const bool starred = accept_op(Op::Star);
    PExpr target = primary();
    const bool follows = at_op(Op::Comma) || at_op(Op::RPar) || at_op(Op::Colon);
    if (const Expr* bad = invalid_target(*target, Targets::Star); (bad || starred) && follows)
      error_at(bad ? *bad : *target, cat("cannot assign to ", expr_name(bad ? *bad : *target)));
  }

  // `match` is a keyword only when a match statement follows; otherwise it is a name.
  StmtPtr match_stmt() {
    const Snapshot s = snapshot();
    const Token& kw = peek();
    StmtScope scope(*this);
    Discard discard(sh_);
    try {
      advance();
      if (!can_start_expression(peek()) && !at_op(Op::Star)) throw GenericFail("SyntaxError", "");
      {
        FirstPass first_pass(*this);
        const bool starred = at_op(Op::Star);
        star_named_expression();
        if (starred && !at_op(Op::Comma)) throw GenericFail("SyntaxError", "");  // `match *x:`
        while (accept_op(Op::Comma))
          if (!at_op(Op::Colon)) star_named_expression();
      }
      if (!at_op(Op::Colon) || !at_type(Tok::Newline, 1)) throw GenericFail("SyntaxError", "");
      advance();
      advance();
      if (!at_type(Tok::Indent)) {
        const Token& t = peek();
        error("IndentationError", cat("expected an indented block after 'match' statement on line ", kw.line), t.line, t.col);
      }
      if (!is_name_text(1, "case")) throw GenericFail("SyntaxError", "");
    } catch (const GenericFail&) {
      rewind(s);
      return nullptr;
    }
    advance();
    BlockDepth depth(*this);
    while (is_name_text(0, "case")) {
      const Token& c = peek();
      advance();
      patterns();
      if (at_kw(Kw::If)) {
        advance();
        named_expression();
      }
      if (at_type(Tok::Newline)) error_here("expected ':'");
      expect_op(Op::Colon);
      block("'case' statement", c.line);
    }
    if (!at_type(Tok::Dedent)) fail();
    advance();
    return scope.finish(unsupported("'match' statements", kw.line, kw.col));
  }

  // The statement starting with `match` failed to parse either way. CPython's second pass tries
  // the match statement first, with its invalid_* rules: `match x` then the end of the line is
  // "expected ':'".
  void invalid_match(std::size_t start) {
    const Snapshot s = snapshot();
    pos_ = start + 1;
    try {
      if (can_start_expression(peek()) || at_op(Op::Star)) {
        star_named_expression();
        while (accept_op(Op::Comma))
          if (!at_op(Op::Colon) && !at_type(Tok::Newline)) star_named_expression();
        if (at_type(Tok::Newline)) error_here("expected ':'");
      }
    } catch (const GenericFail&) {
    }
    restore(s);
  }

  // The patterns of a case clause (checked for syntax only).
  void patterns() {
    star_pattern();
    if (!accept_op(Op::Comma)) return;
    while (!at_op(Op::Colon) && !at_kw(Kw::If)) {
      star_pattern();
      if (!accept_op(Op::Comma)) break;
    }
  }
  void star_pattern() {
    if (!accept_op(Op::Star)) {
      pattern();
      return;
    }
    if (!at_name()) fail();
    advance();
  }
  void pattern() {
    closed_pattern();
    while (accept_op(Op::VBar)) closed_pattern();
    if (at_kw(Kw::As)) {
      advance();
      if (!at_name()) fail();
      advance();
    }
  }
  void signed_number() {
    accept_op(Op::Minus);
    if (!at_type(Tok::Number)) fail();
    advance();
    if (at_op(Op::Plus) || at_op(Op::Minus)) {
      advance();
      if (!at_type(Tok::Number)) fail();
      advance();
    }
  }
  void literal_or_value() {
    const Token& t = peek();
    if (at_op(Op::Minus) || t.type == Tok::Number) {
      signed_number();
    } else if (t.type == Tok::String) {
      while (at_type(Tok::String)) advance();
    } else if (t.type == Tok::Name && (t.kw == Kw::None_ || t.kw == Kw::True_ || t.kw == Kw::False_)) {
      advance();
    } else if (at_name()) {
      advance();
      while (accept_op(Op::Dot)) {
        if (!at_name()) fail();
        advance();
      }
    } else {
      fail();
    }
  }
  void closed_pattern() {
    if (at_op(Op::LPar) || at_op(Op::LSqb)) {
      const Op close = at_op(Op::LPar) ? Op::RPar : Op::RSqb;
      advance();
      while (!at_op(close)) {
        star_pattern();
        if (!accept_op(Op::Comma)) break;
      }
      expect_op(close);
    } else if (at_op(Op::LBrace)) {
      advance();
      while (!at_op(Op::RBrace)) {
        if (accept_op(Op::DoubleStar)) {
          if (!at_name()) fail();
          advance();
        } else {
          literal_or_value();
          expect_op(Op::Colon);
          pattern();
        }
        if (!accept_op(Op::Comma)) break;
      }
      expect_op(Op::RBrace);
    } else {
      const bool name = at_name();
      literal_or_value();
      if (name && accept_op(Op::LPar)) {  // a class pattern
        while (!at_op(Op::RPar)) {
          if (at_name() && at_op(Op::Equal, 1)) {
            advance();
            advance();
          }
          pattern();
          if (!accept_op(Op::Comma)) break;
        }
        expect_op(Op::RPar);
      }
    }
  }


  // ===========================================================================================
  // Expressions
  // ===========================================================================================

  static bool starts_atom(const Token& t) {
    if (t.type == Tok::Name) return t.kw == Kw::None || t.kw == Kw::True_ || t.kw == Kw::False_ || t.kw == Kw::None_;
    if (t.type == Tok::Number || t.type == Tok::String) return true;
    return t.type == Tok::Op && (t.op == Op::LPar || t.op == Op::LSqb || t.op == Op::LBrace || t.op == Op::Ellipsis);
  }
  static bool can_start_bitwise_or(const Token& t) {
    return starts_atom(t) || (t.type == Tok::Op && (t.op == Op::Minus || t.op == Op::Plus || t.op == Op::Tilde)) ||
           (t.type == Tok::Name && t.kw == Kw::Await);
  }
  static bool can_start_expression(const Token& t) {
    return can_start_bitwise_or(t) || (t.type == Tok::Name && (t.kw == Kw::Not || t.kw == Kw::Lambda));
  }
  // A token that cannot continue an expression but can start another one right after it.
  static bool starts_juxtaposed(const Token& t) {
    if (t.type == Tok::Op) return t.op == Op::LBrace || t.op == Op::Tilde || t.op == Op::Ellipsis;
    return starts_atom(t) || (t.type == Tok::Name && (t.kw == Kw::Not || t.kw == Kw::Lambda || t.kw == Kw::Await));
  }

  PExpr star_expressions() {
    PExpr first = star_expression();
    if (!at_op(Op::Comma)) return first;
    PExpr tuple = node(ExprKind::Tuple, first);
    const Expr* starred = is_starred(*first) ? first.e.get() : nullptr;
    add_item(tuple, std::move(first));
    while (accept_op(Op::Comma)) {
      if (!(can_start_expression(peek()) || at_op(Op::Star))) break;
      PExpr item = star_expression();
      if (!starred && is_starred(*item)) starred = item.e.get();
      add_item(tuple, std::move(item));
    }
    end_here(tuple);
    if (starred) not_implemented(what::kStarred, *starred);
    return tuple;
  }

  PExpr star_expression() {
    if (!at_op(Op::Star)) return expression();
    return starred();
  }

  LL_COLD PExpr starred() {
    PExpr s = marker(kStarredNode, peek());
    advance();
    set_a(s, bitwise_or());
    end_here(s);
    return s;
  }

  PExpr star_named_expression() {
    if (at_op(Op::Star)) return starred();
    return named_expression();
  }

  LL_COLD PExpr walrus() {
    const Token& name = peek();
    PExpr w = marker(kNamedExprNode, name);
    advance();
    advance();
    set_a(w, expression());
    end_here(w);
    not_implemented(what::kWalrus, name.line, name.col);
    return w;
  }

  PExpr named_expression() {
    if (at_name() && at_op(Op::ColonEqual, 1)) return walrus();
    PExpr e = expression();
    if (at_op(Op::ColonEqual) && expression_follows(pos_ + 1))
      invalid_rule(*e, cat("cannot use assignment expressions with ", expr_name(*e)));
    if (at_op(Op::Equal)) invalid_named_expression(*e, pos_);
    return e;
  }

  // `x = 1` where an expression is expected (`if x = 1:`).
  LL_COLD void invalid_named_expression(const Expr& e, std::size_t equals) {
    if (invalid_off_) return;
    const bool name = e.kind == ExprKind::Name && token_after(e) == equals;
    const bool other = !name && !starts_with_excluded_atom(e) && is_bitwise_or(e);
    if ((!name && !other) || !bitwise_or_follows(equals + 1)) return;
    if (name) error_at(e, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    error_at(e, cat("cannot assign to ", expr_name(e), " here. Maybe you meant '==' instead of '='?"));
  }

  PExpr expression() {
    Nesting nesting(*this);
    const std::size_t start = pos_;
    Memo memo(*this, start, kMemoExpression);
    failed_trailer_ = false;
    if (at_kw(Kw::Lambda)) return lambdef();
    PExpr a = disjunction();
    if (at_kw(Kw::If)) return conditional(std::move(a));
    if (failed_trailer_) {
      failed_trailer_ = false;
      if (!backtracks()) {
        if (starts_juxtaposed(peek()) || at_op(Op::LPar) || at_op(Op::LSqb)) juxtaposed(*a, start);
        fail();
      }
      return a;
    }
    if (!invalid_off_ && starts_juxtaposed(peek())) juxtaposed(*a, start);
    return a;
  }

  // `a if test else orelse`, after a.
  LL_COLD PExpr conditional(PExpr a) {
    const std::size_t if_pos = pos_;
    advance();
    PExpr test;
    try {
      test = disjunction();
    } catch (const GenericFail&) {
      if (invalid_off_) {
        rewind_to(if_pos);
        return a;
      }
      // CPython's second pass reads the condition only as far as it parses.
      const Snapshot s = snapshot();
      pos_ = if_pos + 1;
      longest_prefix_ = true;
      bool no_else = false;
      try {
        disjunction();
        no_else = !at_kw(Kw::Else) && !at_op(Op::Colon);
      } catch (const GenericFail&) {
      }
      longest_prefix_ = false;
      restore(s);
      if (no_else) error_at(*a, "expected 'else' after 'if' expression");
      throw;
    }
    if (failed_trailer_) {
      failed_trailer_ = false;
      if (invalid_off_) {
        rewind_to(if_pos);
        return a;
      }
      error_at(*a, "expected 'else' after 'if' expression");
    }
    if (!at_kw(Kw::Else)) {
      if (invalid_off_) {
        rewind_to(if_pos);  // the conditional fails; the disjunction before it stands
        return a;
      }
      if (!at_op(Op::Colon)) error_at(*a, "expected 'else' after 'if' expression");
      fail();
    }
    advance();
    PExpr orelse = expression();
    PExpr e = node(ExprKind::IfExp, a);
    set_a(e, std::move(test));
    set_b(e, std::move(a));
    set_c(e, std::move(orelse));
    end_here(e);
    return e;
  }

  // Two expressions side by side. CPython's second pass tries invalid_expression ("Perhaps you
  // forgot a comma?", inside brackets), then invalid_legacy_expression, which reads
  // star_expressions after a leading name (and so finds errors in there first) and complains
  // about print and exec ("Missing parentheses in call to 'print'").
  LL_COLD void juxtaposed(const Expr& a, std::size_t start) {
    const Token& first = t_[start];
    const bool leading_name = first.type == Tok::Name && first.kw == Kw::None;
    const bool legacy = leading_name && (text_of(first) == "print" || text_of(first) == "exec");
    const Snapshot s = snapshot();
    if (!(leading_name && (t_[start + 1].type == Tok::String || soft_keyword_like(text_of(first))))) {
      try {
        expression_without_invalid();
        if (prev().level > 0 && !(legacy && a.kind == ExprKind::Name)) error_at(a, "invalid syntax. Perhaps you forgot a comma?");
      } catch (const GenericFail&) {
      }
      restore(s);
    }
    if (leading_name && !(t_[start + 1].type == Tok::Op && t_[start + 1].op == Op::LPar)) {
      pos_ = start + 1;
      const bool outer = longest_prefix_;
      longest_prefix_ = true;
      bool parsed = false;
      try {
        if (can_start_expression(peek()) || at_op(Op::Star)) {
          star_expressions();
          parsed = true;
        }
      } catch (const GenericFail&) {
      }
      longest_prefix_ = outer;
      restore(s);
      if (parsed && legacy)
        error_at(a, cat("Missing parentheses in call to '", text_of(first), "'. Did you mean ", text_of(first), "(...)?"));
    }
  }

  [[noreturn]] void dict_key_error(const Expr& key) {
    if (invalid_off_) fail();
    error("SyntaxError", "':' expected after dictionary key", key.end_line, key.end_col - 1);
  }

  void expression_without_invalid() {
    Nesting nesting(*this);
    ++invalid_off_;
    ++without_invalid_;
    struct Off {
      int& a;
      int& b;
      ~Off() {
        --a;
        --b;
      }
    } off{invalid_off_, without_invalid_};
    if (at_kw(Kw::Lambda)) {
      lambdef();
      return;
    }
    disjunction();
    if (at_kw(Kw::If)) {
      const std::size_t if_pos = pos_;
      advance();
      disjunction();
      if (!at_kw(Kw::Else)) {
        rewind_to(if_pos);
        return;
      }
      advance();
      expression();
    }
  }

  LL_COLD PExpr lambdef() {
    const Token& kw = peek();
    advance();
    if (!at_op(Op::Colon)) parameters(true);
    expect_op(Op::Colon);
    PExpr l = marker(kLambdaNode, kw);
    {
      ScopeGuard scope(sh_, Shared::Scope::Function, false, false, true);
      set_a(l, expression());
    }
    end_here(l);
    if (sh_.discard == 0) sh_.stmt_lambda = true;
    return l;
  }

  PExpr bool_op(PExpr first, Kw kw, const char* text, PExpr (Parser::*operand)()) {
    if (!at_kw(kw)) return first;
    PExpr e = node(ExprKind::BoolOp, first);
    e->text = text;
    add_item(e, std::move(first));
    while (at_kw(kw)) {
      const std::size_t op_pos = pos_;
      advance();
      PExpr next;
      try {
        next = (this->*operand)();
      } catch (const GenericFail&) {
        if (!backtracks()) throw;
        rewind_to(op_pos);
        break;
      }
      add_item(e, std::move(next));
    }
    end_here(e);
    if (e->items.size() == 1) {  // backed out of the only operator
      PExpr only{std::move(e->items.front()), e.depth - 1, e.first, e.last};
      return only;
    }
    return e;
  }

  PExpr disjunction() {
    Memo memo(*this, pos_, kMemoDisjunction);
    return bool_op(conjunction(), Kw::Or, "or", &Parser::conjunction);
  }
  PExpr conjunction() { return bool_op(inversion(), Kw::And, "and", &Parser::inversion); }

  PExpr inversion() {
    const std::size_t first_not = pos_;  // the 'not's are consecutive tokens
    while (at_kw(Kw::Not)) {
      advance();
      if (pos_ - first_not > static_cast<std::size_t>(kMaxExpressionDepth)) too_deep_here();
    }
    PExpr e = comparison();
    for (std::size_t n = not_count(first_not); n-- > 0;) {
      PExpr u = node(ExprKind::UnaryOp, t_[first_not + n]);
      u->text = "not";
      end_at(u, e);
      set_a(u, std::move(e));
      e = std::move(u);
    }
    return e;
  }
  std::size_t not_count(std::size_t from) const {
    std::size_t n = 0;
    while (t_[from + n].type == Tok::Name && t_[from + n].kw == Kw::Not) ++n;
    return n;
  }

  [[noreturn]] void too_deep_here() {
    error_at(t_[std::min(pos_, t_.size() - 1)], cat("expression too deeply nested (Logit Lab allows ", kMaxExpressionDepth, " levels)"));
  }

  const char* comparison_op() {
    const Token& t = peek();
    if (t.type == Tok::Op) {
      switch (t.op) {
        case Op::EqEqual: return "==";
        case Op::NotEqual: return "!=";
        case Op::Less: return "<";
        case Op::LessEqual: return "<=";
        case Op::Greater: return ">";
        case Op::GreaterEqual: return ">=";
        default: return nullptr;
      }
    }
    if (t.type != Tok::Name) return nullptr;
    if (t.kw == Kw::In) return "in";
    if (t.kw == Kw::Is) return at_kw(Kw::Not, 1) ? "is not" : "is";
    if (t.kw == Kw::Not && at_kw(Kw::In, 1)) return "not in";
    return nullptr;
  }

  PExpr comparison() {
    PExpr first = bitwise_or();
    const char* op = comparison_op();
    if (!op) return first;
    PExpr e = node(ExprKind::Compare, first);
    set_a(e, std::move(first));
    while (op) {
      const std::size_t op_pos = pos_;
      advance();
      if (std::string_view(op) == "is not" || std::string_view(op) == "not in") advance();  // two tokens
      PExpr right;
      try {
        right = bitwise_or();
      } catch (const GenericFail&) {
        if (!backtracks()) throw;
        rewind_to(op_pos);
        break;
      }
      e->ops.emplace_back(op);
      add_item(e, std::move(right));
      op = comparison_op();
    }
    end_here(e);
    if (e->ops.empty()) {  // backed out of the only operator
      PExpr only{std::move(e->a), e.depth - 1, e.first, e.last};
      return only;
    }
    return e;
  }

  static int binary_precedence(const Token& t, const char** text) {
    if (t.type != Tok::Op) return 0;
    switch (t.op) {
      case Op::VBar: *text = "|"; return 1;
      case Op::Circumflex: *text = "^"; return 2;
      case Op::Amper: *text = "&"; return 3;
      case Op::LeftShift: *text = "<<"; return 4;
      case Op::RightShift: *text = ">>"; return 4;
      case Op::Plus: *text = "+"; return 5;
      case Op::Minus: *text = "-"; return 5;
      case Op::Star: *text = "*"; return 6;
      case Op::Slash: *text = "/"; return 6;
      case Op::DoubleSlash: *text = "//"; return 6;
      case Op::Percent: *text = "%"; return 6;
      case Op::At: *text = "@"; return 6;
      default: return 0;
    }
  }

  // bitwise_or down to term: left-associative binary operators, reduced with explicit stacks
  // (one C++ frame for all six precedence levels).
  PExpr bitwise_or() {
    std::vector<PExpr> operands;
    std::vector<std::pair<int, const char*>> ops;
    auto reduce = [&]() {
      PExpr b = std::move(operands.back());
      operands.pop_back();
      PExpr a = std::move(operands.back());
      operands.pop_back();
      PExpr e = node(ExprKind::BinOp, a);
      e->text = ops.back().second;
      ops.pop_back();
      end_at(e, b);
      set_a(e, std::move(a));
      set_b(e, std::move(b));
      operands.push_back(std::move(e));
    };
    operands.push_back(factor());
    const char* text = nullptr;
    while (int prec = binary_precedence(peek(), &text)) {
      const std::size_t op_pos = pos_;
      advance();
      PExpr right;
      try {
        right = factor();
      } catch (const GenericFail&) {
        // In a check of the second pass, a PEG parser settles for the operand before the operator.
        if (!backtracks()) throw;
        rewind_to(op_pos);
        break;
      }
      while (!ops.empty() && ops.back().first >= prec) reduce();
      ops.emplace_back(prec, text);
      operands.push_back(std::move(right));
    }
    while (!ops.empty()) reduce();
    return std::move(operands.back());
  }

  // factor: ('+' | '-' | '~')* power, where power's right operand is again a factor. Built
  // without recursion: -2 ** -3 ** 4 is -(2 ** (-(3 ** 4))).
  PExpr factor() {
    struct Level {
      std::vector<const Token*> prefixes;
      PExpr operand;
    };
    std::vector<Level> levels;
    std::size_t count = 0;
    for (;;) {
      Level level;
      while (at_op(Op::Minus) || at_op(Op::Plus) || at_op(Op::Tilde)) {
        level.prefixes.push_back(&peek());
        advance();
        if (++count > static_cast<std::size_t>(kMaxExpressionDepth)) too_deep_here();
      }
      level.operand = await_primary();
      levels.push_back(std::move(level));
      if (!at_op(Op::DoubleStar)) break;
      advance();
      if (++count > static_cast<std::size_t>(kMaxExpressionDepth)) too_deep_here();
    }
    PExpr acc;
    for (std::size_t i = levels.size(); i-- > 0;) {
      Level& level = levels[i];
      if (acc.e) {
        PExpr pow = node(ExprKind::BinOp, level.operand);
        pow->text = "**";
        end_at(pow, acc);
        set_a(pow, std::move(level.operand));
        set_b(pow, std::move(acc));
        acc = std::move(pow);
      } else {
        acc = std::move(level.operand);
      }
      while (!level.prefixes.empty()) {
        const Token& t = *level.prefixes.back();
        level.prefixes.pop_back();
        PExpr u = node(ExprKind::UnaryOp, t);
        u->text = t.op == Op::Minus ? "-" : t.op == Op::Plus ? "+" : "~";
        end_at(u, acc);
        set_a(u, std::move(acc));
        acc = std::move(u);
      }
    }
    return acc;
  }

  PExpr await_primary() {
    if (!at_kw(Kw::Await)) return primary();
    const Token& kw = peek();
    advance();
    PExpr a = marker(kAwaitNode, kw);
    set_a(a, primary());
    end_here(a);
    if (sh_.scope == Shared::Scope::Function && sh_.in_async) not_implemented(what::kAwait, kw.line, kw.col);
    else if (sh_.scope == Shared::Scope::Function) compile_error("'await' outside async function", kw.line, kw.col);
    else compile_error("'await' outside function", kw.line, kw.col);
    return a;
  }

  PExpr primary() {
    PExpr e = atom();
    for (;;) {
      if (at_op(Op::Dot)) {
        advance();
        if (!at_name()) fail();
        PExpr attr = node(ExprKind::Attribute, e);
        attr->text = std::string(text_of(peek()));
        advance();
        end_here(attr);
        set_a(attr, std::move(e));
        e = std::move(attr);
      } else if (at_op(Op::LPar) || at_op(Op::LSqb)) {
        if (!call_or_subscript(e)) return e;
      } else {
        return e;
      }
    }
  }

  // A call or subscript of e. One that fails to parse: a PEG parser backs up to the expression
  // before it (false), and the second pass may then see two expressions side by side.
  LL_COLD bool call_or_subscript(PExpr& e) {
    const Snapshot before = snapshot();
    const bool call = at_op(Op::LPar);
    PExpr t = node(call ? ExprKind::Call : ExprKind::Subscript, e);
    try {
      if (call) {
        call_arguments(t);
      } else {
        advance();
        set_b(t, slices());
        expect_op(Op::RSqb);
        end_here(t);
      }
    } catch (const GenericFail&) {
      rewind(before);
      failed_trailer_ = true;
      return false;
    }
    set_a(t, std::move(e));
    e = std::move(t);
    return true;
  }

  // '(' [arguments] ')' of a call; fills call->items and call->keywords.
  LL_COLD void call_arguments(PExpr& call) {
    advance();  // '('

    bool keyword_seen = false, double_star_seen = false;
    const Token* first_arg = nullptr;
    std::vector<std::string_view> keyword_names;
    std::size_t count = 0;
    while (!at_op(Op::RPar)) {
      const Token& t = peek();
      if (!first_arg) first_arg = &t;
      ++count;
      if (at_op(Op::Star)) {
        advance();
        PExpr v = expression();
        if (double_star_seen) invalid_rule(*first_arg, "iterable argument unpacking follows keyword argument unpacking");
        not_implemented(what::kStarArgs, t.line, t.col);
        add_item(call, std::move(v));
      } else if (at_op(Op::DoubleStar)) {
        advance();
        PExpr v = expression();
        not_implemented(what::kKwArgs, t.line, t.col);
        double_star_seen = true;
        add_item(call, std::move(v));
      } else if (at_name() && at_op(Op::Equal, 1)) {
        advance();
        advance();
        PExpr v = expression();
        if (at_kw(Kw::For) || (at_kw(Kw::Async) && at_kw(Kw::For, 1)))
          invalid_rule(t, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
        for (auto n : keyword_names)
          if (n == text_of(t)) compile_error(cat("keyword argument repeated: ", text_of(t)), t.line, t.col);
        keyword_names.push_back(text_of(t));
        grow(call, v.depth);
        Keyword k;
        k.name = std::string(text_of(t));
        k.value = std::move(v.e);
        k.line = t.line;
        k.col = t.col;
        call->keywords.push_back(std::move(k));
        keyword_seen = true;
      } else if (t.type == Tok::Name && (t.kw == Kw::True_ || t.kw == Kw::False_ || t.kw == Kw::None_) && at_op(Op::Equal, 1)) {
        invalid_rule(t, cat("cannot assign to ", text_of(t)));
      } else {
        PExpr v = (at_name() && at_op(Op::ColonEqual, 1)) ? walrus() : expression();
        if (at_op(Op::Equal)) invalid_rule(*v, "expression cannot contain assignment, perhaps you meant \"==\"?");
        if (at_kw(Kw::For) || (at_kw(Kw::Async) && at_kw(Kw::For, 1))) {
          PExpr g = comprehension(std::move(v), kGenExpNode, what::kGenExp);
          if (count > 1 || !at_op(Op::RPar)) invalid_rule(*g->a, "Generator expression must be parenthesized");
          add_item(call, std::move(g));
          continue;
        }
        if (keyword_seen || double_star_seen) {
          // CPython reads the rest of the arguments before saying so.
          while (accept_op(Op::Comma) && !at_op(Op::RPar)) argument_loosely();
          invalid_rule_here(double_star_seen ? "positional argument follows keyword argument unpacking"
                                      : "positional argument follows keyword argument");
        }
        add_item(call, std::move(v));
      }
      if (!accept_op(Op::Comma)) break;
    }
    expect_op(Op::RPar);
    end_here(call);
  }

  void argument_loosely() {
    if (accept_op(Op::Star) || accept_op(Op::DoubleStar)) {
      expression();
    } else if (at_name() && at_op(Op::Equal, 1)) {
      advance();
      advance();
      expression();
    } else {
      expression();
    }
  }

  // The index of a subscript: a slice, an expression, or a tuple of them.
  LL_COLD PExpr slices() {
    const Token& first_tok = peek();
    PExpr first = slice();
    if (!at_op(Op::Comma)) return first;
    PExpr tuple = node(ExprKind::Tuple, first_tok);
    add_item(tuple, std::move(first));
    while (accept_op(Op::Comma)) {
      if (at_op(Op::RSqb)) break;
      add_item(tuple, slice());
    }
    end_here(tuple);
    return tuple;
  }

  PExpr slice() {
    if (at_op(Op::Star)) {
      PExpr s = starred();
      not_implemented(what::kStarred, *s);
      return s;
    }
    const Token& first = peek();
    PExpr lower;
    if (!at_op(Op::Colon)) {
      if (at_name() && at_op(Op::ColonEqual, 1)) return walrus();
      lower = expression();
      if (!at_op(Op::Colon)) {
        if (at_op(Op::ColonEqual) && expression_follows(pos_ + 1))
          invalid_rule(*lower, cat("cannot use assignment expressions with ", expr_name(*lower)));
        if (at_op(Op::Equal)) invalid_named_expression(*lower, pos_);
        return lower;
      }
    }
    PExpr s = node(ExprKind::Slice, first);
    advance();  // ':'
    if (lower.e) set_a(s, std::move(lower));
    if (can_start_expression(peek())) set_b(s, expression());
    if (accept_op(Op::Colon) && can_start_expression(peek())) set_c(s, expression());
    end_here(s);
    return s;
  }

  PExpr atom() {
    const Token& t = peek();
    switch (t.type) {
      case Tok::Name: {
        PExpr e;
        switch (t.kw) {
          case Kw::None:
            e = node(ExprKind::Name, t);
            e->text = std::string(text_of(t));
            break;
          case Kw::True_:
          case Kw::False_:
            e = node(ExprKind::Bool, t);
            e->bool_value = t.kw == Kw::True_;
            break;
          case Kw::None_: e = node(ExprKind::None, t); break;
          default: fail();
        }
        advance();
        return e;
      }
      case Tok::Number: return number();
      case Tok::String: return strings();
      case Tok::Op:
        switch (t.op) {
          case Op::LPar: return paren();
          case Op::LSqb: return list_display();
          case Op::LBrace: return brace_display();
          case Op::Ellipsis: {
            PExpr e = node(ExprKind::Ellipsis, t);
            advance();
            return e;
          }
          default: fail();
        }
      default: fail();
    }
  }

  // '(' ... ')': the empty tuple, a group, a tuple, or a generator expression.
  LL_COLD PExpr paren() {
    const Token& open = peek();
    advance();
    if (at_op(Op::RPar)) {
      PExpr e = node(ExprKind::Tuple, open);
      advance();
      end_here(e);
      return e;
    }
    if (at_kw(Kw::Yield)) {
      PExpr y = yield_expr();
      expect_op(Op::RPar);
      y.first = index_of(open);
      y.last = pos_ - 1;
      return y;
    }
    if (at_op(Op::DoubleStar)) {
      const Token& stars = peek();
      const Snapshot s = snapshot();
      bool group = false;
      try {
        advance();
        expression();
        group = at_op(Op::RPar);
      } catch (const GenericFail&) {
      }
      if (group) invalid_rule(stars, "cannot use double starred expression here");
      restore(s);
      fail();
    }
    PExpr first = star_named_expression();
    if (at_kw(Kw::For) || (at_kw(Kw::Async) && at_kw(Kw::For, 1))) {
      if (is_starred(*first)) invalid_rule(*first, "iterable unpacking cannot be used in comprehension");
      PExpr g = comprehension(std::move(first), kGenExpNode, what::kGenExp);
      expect_op(Op::RPar);
      g->line = open.line;
      g->col = open.col;
      end_here(g);
      return g;
    }
    if (at_op(Op::RPar)) {
      if (is_starred(*first)) invalid_rule(*first, "cannot use starred expression here");
      advance();
      first.first = index_of(open);
      first.last = pos_ - 1;
      return first;
    }
    if (!at_op(Op::Comma)) fail();
    PExpr tuple = node(ExprKind::Tuple, open);
    const Expr* starred_item = is_starred(*first) ? first.e.get() : nullptr;
    add_item(tuple, std::move(first));
    while (accept_op(Op::Comma)) {
      if (at_op(Op::RPar)) break;
      PExpr item = star_named_expression();
      if (!starred_item && is_starred(*item)) starred_item = item.e.get();
      add_item(tuple, std::move(item));
    }
    expect_op(Op::RPar);
    end_here(tuple);
    if (starred_item) not_implemented(what::kStarred, *starred_item);
    return tuple;
  }

  LL_COLD PExpr list_display() {
    const Token& open = peek();
    advance();
    PExpr list = node(ExprKind::List, open);
    if (accept_op(Op::RSqb)) {
      end_here(list);
      return list;
    }
    PExpr first = star_named_expression();
    if (at_kw(Kw::For) || (at_kw(Kw::Async) && at_kw(Kw::For, 1))) {
      if (is_starred(*first)) invalid_rule(*first, "iterable unpacking cannot be used in comprehension");
      PExpr c = comprehension(std::move(first), kListCompNode, what::kListComp);
      expect_op(Op::RSqb);
      c->line = open.line;
      c->col = open.col;
      end_here(c);
      return c;
    }
    const Expr* starred_item = is_starred(*first) ? first.e.get() : nullptr;
    const Expr* first_item = first.e.get();
    add_item(list, std::move(first));
    while (accept_op(Op::Comma)) {
      if (at_op(Op::RSqb)) break;
      PExpr item = star_named_expression();
      if (!starred_item && is_starred(*item)) starred_item = item.e.get();
      add_item(list, std::move(item));
    }
    if (at_kw(Kw::For) && for_clause_follows()) invalid_rule(*first_item, "did you forget parentheses around the comprehension target?");
    expect_op(Op::RSqb);
    end_here(list);
    if (starred_item) not_implemented(what::kStarred, *starred_item);
    return list;
  }

  // '{' ... '}': dicts, sets and their comprehensions, all outside the subset.
  LL_COLD PExpr brace_display() {
    const Token& open = peek();
    advance();
    if (at_op(Op::RBrace)) {
      advance();
      PExpr d = marker(kDictNode, open);
      end_here(d);
      not_implemented(what::kDict, open.line, open.col);
      return d;
    }
    PExpr result;
    bool dict = at_op(Op::DoubleStar);
    PExpr first;
    if (!dict) {
      first = star_named_expression();
      dict = at_op(Op::Colon);
    }
    if (dict) {
      result = marker(kDictNode, open);
      bool first_pair = true;
      for (;;) {
        if (at_op(Op::DoubleStar)) {
          advance();
          add_item(result, bitwise_or());
        } else {
          PExpr key;
          if (first_pair && first.e) {
            key = std::move(first);
          } else {
            // CPython 3.11 complains about a later key's missing ':' before anything in it.
            FirstPass off(*this);
            key = expression();
          }
          if (!at_op(Op::Colon)) dict_key_error(*key);
          const Token& colon = peek();
          advance();
          if (at_op(Op::Star)) invalid_rule(peek(), "cannot use a starred expression in a dictionary value");
          if (at_op(Op::RBrace) || at_op(Op::Comma)) invalid_rule(colon, "expression expected after dictionary key and ':'");
          PExpr value = expression();
          if (first_pair && (at_kw(Kw::For) || (at_kw(Kw::Async) && at_kw(Kw::For, 1)))) {
            PExpr c = comprehension(std::move(key), kDictCompNode, what::kDictComp);
            add_item(c, std::move(value));
            expect_op(Op::RBrace);
            c->line = open.line;
            c->col = open.col;
            end_here(c);
            return c;
          }
          add_item(result, std::move(key));
          add_item(result, std::move(value));
        }
        first_pair = false;
        if (!accept_op(Op::Comma) || at_op(Op::RBrace)) break;
      }
      expect_op(Op::RBrace);
      end_here(result);
      not_implemented(what::kDict, open.line, open.col);
      return result;
    }
    if (at_kw(Kw::For) || (at_kw(Kw::Async) && at_kw(Kw::For, 1))) {
      if (is_starred(*first)) invalid_rule(*first, "iterable unpacking cannot be used in comprehension");
      PExpr c = comprehension(std::move(first), kSetCompNode, what::kSetComp);
      expect_op(Op::RBrace);
      c->line = open.line;
      c->col = open.col;
      end_here(c);
      return c;
    }
    result = marker(kSetNode, open);
    const Expr* first_item = first.e.get();
    add_item(result, std::move(first));
    while (accept_op(Op::Comma)) {
      if (at_op(Op::RBrace)) break;
      add_item(result, star_named_expression());
    }
    if (at_kw(Kw::For) && for_clause_follows()) invalid_rule(*first_item, "did you forget parentheses around the comprehension target?");
    expect_op(Op::RBrace);
    end_here(result);
    not_implemented(what::kSet, open.line, open.col);
    return result;
  }

  // A second-pass look: do for_if_clauses parse here?
  bool for_clause_follows() {
    if (invalid_off_) return false;
    const Snapshot s = snapshot();
    bool ok = true;
    try {
      PExpr dummy = node(ExprKind::Name, peek());
      comprehension(std::move(dummy), kListCompNode, what::kListComp);
    } catch (const GenericFail&) {
      ok = false;
    }
    restore(s);
    return ok;
  }

  // for_if_clauses after a comprehension's element: ('async'? 'for' targets 'in' disjunction
  // ('if' disjunction)*)+
  LL_COLD PExpr comprehension(PExpr element, const char* kind, const char* construct) {
    PExpr c = marker(kind, element);
    not_implemented(construct, *element);
    set_a(c, std::move(element));
    while (at_kw(Kw::For) || (at_kw(Kw::Async) && at_kw(Kw::For, 1))) {
      if (at_kw(Kw::Async)) advance();
      advance();
      for_targets();
      advance();  // 'in'
      add_item(c, disjunction());
      while (at_kw(Kw::If)) {
        advance();
        add_item(c, disjunction());
      }
    }
    end_here(c);
    return c;
  }

  LL_COLD PExpr yield_expr() {
    const Token& kw = peek();
    advance();
    PExpr y = marker(kYieldNode, kw);
    if (at_kw(Kw::From)) {
      advance();
      set_a(y, expression());
    } else if (can_start_expression(peek()) || at_op(Op::Star)) {
      set_a(y, star_expressions());
    }
    end_here(y);
    if (sh_.scope == Shared::Scope::Function) not_implemented(what::kYield, kw.line, kw.col);
    else compile_error("'yield' outside function", kw.line, kw.col);
    return y;
  }

  // --- literals ------------------------------------------------------------------------------

  LL_COLD PExpr number() {
    const Token& t = peek();
    std::string digits;
    for (char c : text_of(t))
      if (c != '_') digits += c;
    advance();
    if ((digits.back() | 0x20) == 'j') {
      not_implemented(what::kComplex, t.line, t.col);
      return node(ExprKind::Float, t);
    }
    int radix = 10;
    if (digits.size() > 1 && digits[0] == '0') {
      const char p = static_cast<char>(digits[1] | 0x20);
      radix = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
    }
    if (radix == 10 && digits.find_first_of(".eE") != std::string::npos) {
      PExpr e = node(ExprKind::Float, t);
      e->float_value = std::strtod(digits.c_str(), nullptr);  // 1e400 is inf, as in Python
      return e;
    }
    std::string_view body(digits);
    if (radix != 10) body.remove_prefix(2);
    while (body.size() > 1 && body.front() == '0') body.remove_prefix(1);
    PExpr e = node(ExprKind::Int, t);
    if (radix == 10 && body.size() > static_cast<std::size_t>(kMaxIntDigits))
      error_at(t, cat("Exceeds the limit (", kMaxIntDigits, " digits) for integer string conversion: value has ",
                      body.size(),
                      " digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for "
                      "huge integer literals to avoid decimal conversion limits."));
    const std::size_t bits_per_digit = radix == 16 ? 4 : radix == 8 ? 3 : 1;
    if (radix != 10 && body.size() * bits_per_digit > 14300) {  // about 4300 decimal digits
      not_implemented(what::kBigInt, t.line, t.col);
      return e;
    }
    std::uint64_t value = 0;
    bool fits = true;
    const auto r = static_cast<std::uint64_t>(radix);
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    for (char c : body) {
      const auto d = static_cast<std::uint64_t>(hex_value(c));
      if (value > (kMax - d) / r) {
        fits = false;
        break;
      }
      value = value * r + d;
    }
    if (fits) e->int_value = static_cast<std::int64_t>(value);
    else e->big_int_text = radix == 10 ? std::string(body) : to_decimal(body, radix);
    return e;
  }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(c | 0x20);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  }

  // Digits in base 2, 8 or 16 (no underscores) as decimal digits.
  static std::string to_decimal(std::string_view digits, int radix) {
    std::vector<std::uint32_t> limbs{0};  // base 1e9, least significant first
    for (char c : digits) {
      std::uint64_t carry = static_cast<std::uint64_t>(hex_value(c));
      for (auto& limb : limbs) {
        const std::uint64_t v = static_cast<std::uint64_t>(limb) * static_cast<std::uint64_t>(radix) + carry;
        limb = static_cast<std::uint32_t>(v % 1000000000u);
        carry = v / 1000000000u;
      }
      if (carry) limbs.push_back(static_cast<std::uint32_t>(carry));
    }
    std::string out = std::to_string(limbs.back());
    for (std::size_t i = limbs.size() - 1; i-- > 0;) {
      const std::string part = std::to_string(limbs[i]);
      out.append(9 - part.size(), '0');
      out += part;
    }
    return out;
  }

  struct Literal {
    const Token* token;
    bool raw = false, bytes = false, format = false;
    std::size_t body_begin = 0, body_end = 0;  // offsets in the text
  };

  Literal literal_of(const Token& t) const {
    Literal l;
    l.token = &t;
    const std::string_view s = text_of(t);
    std::size_t i = 0;
    for (; s[i] != '\'' && s[i] != '"'; ++i) {
      const char c = static_cast<char>(s[i] | 0x20);
      l.raw |= c == 'r';
      l.bytes |= c == 'b';
      l.format |= c == 'f';
    }
    const std::size_t quotes = (s.size() - i >= 6 && s[i + 1] == s[i] && s[i + 2] == s[i]) ? 3 : 1;
    l.body_begin = t.begin + i + quotes;
    l.body_end = t.end - quotes;
    return l;
  }

  // STRING+: adjacent literals concatenate, plain and f-strings alike. Errors in their contents
  // are reported at the token after the last one, where CPython reports them.
  LL_COLD PExpr strings() {
    const Token& first = peek();
    std::vector<Literal> literals;
    while (at_type(Tok::String)) {
      literals.push_back(literal_of(peek()));
      advance();
    }
    const Token& after = peek();
    bool bytes = false, text = false, format = false;
    for (const auto& l : literals) {
      (l.bytes ? bytes : text) = true;
      format |= l.format;
    }
    if (bytes && text) error_at(after, "cannot mix bytes and nonbytes literals");
    if (bytes) {
      for (const auto& l : literals) check_bytes(l, after);
      PExpr b = marker(kBytesNode, first);
      end_here(b);
      not_implemented(what::kBytes, first.line, first.col);
      return b;
    }
    PExpr result = node(format ? ExprKind::FString : ExprKind::Str, first);
    std::string pending;
    for (const auto& l : literals) {
      const std::string_view body = std::string_view(sh_.text).substr(l.body_begin, l.body_end - l.body_begin);
      if (!l.format) {
        pending += l.raw ? std::string(body) : decode(body, after);
        continue;
      }
      FStringScanner scanner(*this, l, after, result, pending);
      scanner.body();
    }
    if (format) flush_literal(result, pending, first);
    else result->text = std::move(pending);
    end_here(result);
    return result;
  }

  void flush_literal(PExpr& fstring, std::string& pending, const Token& at) {
    if (pending.empty()) return;
    PExpr s = node(ExprKind::Str, at);
    s->text = std::move(pending);
    pending.clear();
    add_item(fstring, std::move(s));
  }

  void check_bytes(const Literal& l, const Token& after) {
    const std::string_view s = std::string_view(sh_.text).substr(l.body_begin, l.body_end - l.body_begin);
    for (char c : s)
      if (static_cast<unsigned char>(c) >= 0x80) error_at(after, "bytes can only contain ASCII literal characters");
    if (l.raw) return;
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
      if (s[i] != '\\') continue;
      if (s[i + 1] == 'x' && (i + 3 >= s.size() + 1 || hex_value(s[i + 2]) < 0 || i + 3 >= s.size() || hex_value(s[i + 3]) < 0))
        error_at(after, cat("(value error) invalid \\x escape at position ", i));
      ++i;
    }
  }

  // The escape sequences of a str literal, decoded as CPython 3.11 does. Positions in its error
  // messages count a non-ASCII character as 10, as CPython's decoder sees it as a \U escape.
  std::string decode(std::string_view s, const Token& after) {
    std::string out;
    out.reserve(s.size());
    std::size_t pos = 0;
    auto fail = [&](std::size_t start, std::size_t last, const char* reason) {
      error_at(after, cat("(unicode error) 'unicodeescape' codec can't decode bytes in position ", start, "-", last, ": ", reason));
    };
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c != '\\' || i + 1 >= s.size()) {
        const std::size_t start = i;
        if (c < 0x80) ++i;
        else decode_utf8(s, i);
        out.append(s.substr(start, i - start));
        pos += c < 0x80 ? 1 : 10;
        continue;
      }
      const std::size_t esc = pos;
      const char n = s[i + 1];
      i += 2;
      pos += 2;
      switch (n) {
        case '\n': break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
          auto v = static_cast<char32_t>(n - '0');
          for (int k = 0; k < 2 && i < s.size() && s[i] >= '0' && s[i] <= '7'; ++k, ++i, ++pos)
            v = v * 8 + static_cast<char32_t>(s[i] - '0');
          append_utf8(out, v);
          break;
        }
        case 'x':
        case 'u':
        case 'U': {
          const int want = n == 'x' ? 2 : n == 'u' ? 4 : 8;
          char32_t v = 0;
          int got = 0;
          for (; got < want && i < s.size() && hex_value(s[i]) >= 0; ++got, ++i, ++pos)
            v = v * 16 + static_cast<char32_t>(hex_value(s[i]));
          const std::size_t last = esc + 1 + static_cast<std::size_t>(got);
          if (got < want)
            fail(esc, last, n == 'x' ? "truncated \\xXX escape" : n == 'u' ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape");
          if (v > 0x10FFFF) fail(esc, last, "illegal Unicode character");
          append_utf8(out, v);
          break;
        }
        case 'N': {
          const std::size_t close = i < s.size() && s[i] == '{' ? s.find('}', i) : std::string_view::npos;
          if (close == std::string_view::npos || close == i + 1) fail(esc, esc + 1, "malformed \\N character escape");
          // Resolving character names needs Unicode's name table, which the playground leaves out.
          not_implemented(what::kNamedEscape, after.line, after.col);
          pos += close + 1 - i;
          i = close + 1;
          break;
        }
        default:  // an unknown escape stays as written (CPython 3.11 only warns)
          out += '\\';
          i -= 1;
          pos -= 1;
          break;
      }
    }
    return out;
  }

  // The contents of one f-string literal (CPython 3.11's fstring_find_literal/fstring_find_expr):
  // literal text, {{ and }}, and replacement fields {expr=!r:spec}.
  class FStringScanner {
   public:
    FStringScanner(Parser& p, const Literal& l, const Token& after, PExpr& out, std::string& pending)
        : p_(p), s_(p.sh_.text), l_(l), after_(after), out_(out), pending_(pending),
          cursor_(l.token->begin), line_(l.token->line), col_(l.token->col) {}

    void body() { scan(l_.body_begin, l_.body_end, 0, out_, pending_); }

   private:
    [[noreturn]] void fail(const std::string& message) { p_.error_at(after_, message); }

    // Line and column of a byte offset in the literal (offsets are asked for in order).
    std::pair<int, int> position(std::size_t offset) {
      for (; cursor_ < offset; ++cursor_) {
        if (s_[cursor_] == '\n') {
          ++line_;
          col_ = 1;
        } else if ((static_cast<unsigned char>(s_[cursor_]) & 0xC0) != 0x80) {
          ++col_;
        }
      }
      return {line_, col_};
    }

    void flush(PExpr& out, std::string& raw_text) {
      if (raw_text.empty()) return;
      std::string text = l_.raw ? raw_text : p_.decode(raw_text, after_);
      raw_text.clear();
      if (&out == &out_) {
        pending_ += text;
      } else {
        out->text += text;  // a format spec
      }
    }

    // Literal text and fields from i up to end or, inside a format spec (level > 0), up to the
    // '}' that closes it. Returns where it stopped.
    std::size_t scan(std::size_t i, std::size_t end, int level, PExpr& out, std::string& pending) {
      std::string raw_text;
      while (i < end) {
        char c = s_[i];
        if (!l_.raw && c == '\\' && i + 1 < end) {
          const char n = s_[i + 1];
          if (n == 'N' && i + 2 < end && s_[i + 2] == '{') {
            const std::size_t close = s_.find('}', i + 3);
            const std::size_t stop = close == std::string::npos || close >= end ? end : close + 1;
            raw_text.append(s_, i, stop - i);
            i = stop;
            continue;
          }
          raw_text += '\\';
          ++i;
          c = n;
          if (c != '{' && c != '}') {
            raw_text += c;
            ++i;
            continue;
          }
        }
        if (c == '{' || c == '}') {
          if (level == 0 && i + 1 < end && s_[i + 1] == c) {
            raw_text += c;
            i += 2;
            continue;
          }
          if (c == '}') {
            if (level == 0) fail("f-string: single '}' is not allowed");
            break;
          }
          flush(out, raw_text);
          i = field(i, end, level, out, pending);
          continue;
        }
        raw_text += c;
        ++i;
      }
      flush(out, raw_text);
      return i;
    }

    std::size_t field(std::size_t i, std::size_t end, int level, PExpr& out, std::string& pending) {
      if (level >= 2) fail("f-string: expressions nested too deeply");
      ++i;  // '{'
      const std::size_t expr_start = i;
      char quote = 0;
      bool triple = false;
      std::string nest;
      for (; i < end;) {
        const char ch = s_[i];
        if (ch == '\\') fail("f-string expression part cannot include a backslash");
        if (quote) {
          if (ch == quote) {
            if (!triple) {
              quote = 0;
            } else if (i + 2 < end && s_[i + 1] == ch && s_[i + 2] == ch) {
              quote = 0;
              i += 3;
              continue;
            }
          }
          ++i;
          continue;
        }
        if (ch == '\'' || ch == '"') {
          triple = i + 2 < end && s_[i + 1] == ch && s_[i + 2] == ch;
          quote = ch;
          i += triple ? 3 : 1;
          continue;
        }
        if (ch == '(' || ch == '[' || ch == '{') {
          if (nest.size() >= 200) fail("f-string: too many nested parenthesis");
          nest += ch;
          ++i;
          continue;
        }
        if (ch == '#') fail("f-string expression part cannot include '#'");
        if (nest.empty() && (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '<' || ch == '>')) {
          if (i + 1 < end && s_[i + 1] == '=' && ch != ':' && ch != '}') {
            i += 2;  // == != <= >=
            continue;
          }
          if (ch == '<' || ch == '>') {
            ++i;
            continue;
          }
          break;
        }
        if (ch == ')' || ch == ']' || ch == '}') {
          if (nest.empty()) fail(cat("f-string: unmatched '", ch, "'"));
          const char open = nest.back();
          nest.pop_back();
          const char expected = open == '(' ? ')' : open == '[' ? ']' : '}';
          if (ch != expected) fail(cat("f-string: closing parenthesis '", ch, "' does not match opening parenthesis '", open, "'"));
        }
        ++i;
      }
      const std::size_t expr_end = i;
      if (quote) fail("f-string: unterminated string");
      if (!nest.empty()) fail(cat("f-string: unmatched '", nest.back(), "'"));
      if (i >= end) fail("f-string: expecting '}'");
      char ch = s_[i];
      bool blank = true;
      for (std::size_t k = expr_start; k < expr_end; ++k)
        if (s_[k] != ' ' && s_[k] != '\t' && s_[k] != '\n' && s_[k] != '\f' && s_[k] != '\v') blank = false;
      if (blank) {
        if (ch == '!' || ch == ':' || ch == '=') fail(cat("f-string: expression required before '", ch, "'"));
        fail("f-string: empty expression not allowed");
      }
      PExpr value = expression(expr_start, expr_end);
      bool self_documenting = false;
      if (ch == '=') {
        self_documenting = true;
        ++i;
        while (i < end && (s_[i] == ' ' || s_[i] == '\t' || s_[i] == '\n' || s_[i] == '\f' || s_[i] == '\v')) ++i;
        if (i >= end) fail("f-string: expecting '}'");
        ch = s_[i];
      }
      char conversion = 0;
      if (ch == '!') {
        ++i;
        if (i >= end) fail("f-string: expecting '}'");
        conversion = s_[i];
        ++i;
        if (conversion != 's' && conversion != 'r' && conversion != 'a')
          fail("f-string: invalid conversion character: expected 's', 'r', or 'a'");
        if (i >= end) fail("f-string: expecting '}'");
        ch = s_[i];
      }
      PExpr fv = p_.node_at(ExprKind::FormattedValue, value->line, value->col);
      const bool has_spec = ch == ':';
      if (has_spec) {
        ++i;
        if (i >= end) fail("f-string: expecting '}'");
        PExpr spec = p_.node_at(ExprKind::Str, value->line, value->col);
        std::string unused;
        i = scan(i, end, level + 1, spec, unused);
        if (!spec->items.empty()) p_.not_implemented(what::kNestedSpec, *spec->items.front());
        fv->text = std::move(spec->text);
        p_.grow(fv, spec.depth);
      }
      if (i >= end || s_[i] != '}') fail("f-string: expecting '}'");
      ++i;
      if (self_documenting) {
        // f"{x=}" shows the expression's text, '=' and the spaces after it, then repr(x) unless
        // a conversion or a format spec says otherwise.
        std::size_t shown_end = expr_end + 1;
        while (shown_end < end && (s_[shown_end] == ' ' || s_[shown_end] == '\t' || s_[shown_end] == '\n' ||
                                   s_[shown_end] == '\f' || s_[shown_end] == '\v'))
          ++shown_end;
        if (&out == &out_) pending += s_.substr(expr_start, shown_end - expr_start);
        if (conversion == 0 && !has_spec) conversion = 'r';
      }
      fv->conversion = conversion;
      fv->end_line = value->end_line;
      fv->end_col = value->end_col;
      p_.set_a(fv, std::move(value));
      if (&out == &out_) {
        p_.flush_literal(out_, pending, *l_.token);
        p_.add_item(out_, std::move(fv));
      } else {
        // A field inside a format spec: kept only to report it (see not_implemented above).
        p_.add_item(out, std::move(fv));
      }
      return i;
    }

    // Parses the expression of a field, s_[begin, end), as CPython does: as a parenthesized
    // expression. Its syntax errors are prefixed with "f-string: ".
    PExpr expression(std::size_t begin, std::size_t end) {
      const auto [line, col] = position(begin);
      TokenStream ts = tokenize_fstring_expression(s_, begin, end, line, col);
      Parser sub(p_.sh_, ts);
      try {
        return sub.fstring_expression();
      } catch (const TokenizerFail&) {
        throw;
      } catch (const PyError& e) {
        if (e.type() == "NotImplementedError" || e.message().rfind("f-string", 0) == 0) throw;
        PyError prefixed(e.type(), "f-string: " + e.message());
        prefixed.line = e.line;
        prefixed.col = e.col;
        throw prefixed;
      }
    }

    Parser& p_;
    const std::string& s_;
    const Literal& l_;
    const Token& after_;
    PExpr& out_;
    std::string& pending_;
    std::size_t cursor_;
    int line_, col_;
  };

  Shared& sh_;
  const TokenStream& ts_;
  const std::vector<Token>& t_;
  std::size_t pos_ = 0;
  std::size_t furthest_ = 0;  // the last token CPython's first pass would have read
  std::size_t fetched_ = 0;   // the last token read, by any pass
  bool longest_prefix_ = false;
  bool failed_trailer_ = false;  // a call or subscript failed and was backed out of
  int invalid_off_ = 0;      // > 0 where CPython's invalid_* rules are off
  int without_invalid_ = 0;  // > 0 inside expression_without_invalid
  std::vector<std::uint8_t> memo_;

 public:
  int fetched_line() const { return t_[fetched_].line; }
};

}  // namespace

Module parse(std::string_view source) {
  TokenStream ts = tokenize(source);
  Shared shared(ts.text);
  Module module;
  Parser parser(shared, ts);
  try {
    module = parser.file();
  } catch (const TokenizerFail& e) {
    throw PyError(e);
  } catch (const PyError& e) {
    // The parser failed before the tokenizer's error. CPython still reports a hard tokenizer
    // error, unless the parser's own was an unexpected indent.
    const bool indent = dynamic_cast<const GenericFail*>(&e) && e.type() == "IndentationError";
    if (ts.error_is_hard && !indent) throw *ts.error_at_end;
    // Input that ends inside brackets: "'(' was never closed" when the parser read past the
    // bracket's line.
    if (!indent && !ts.open.empty() && parser.fetched_line() > ts.open.back().line)
      throw Parser::never_closed(ts.open.back());
    throw PyError(e);
  }
  if (!shared.symtable_errors.empty()) throw shared.symtable_errors.back();
  if (!shared.compile_errors.empty()) throw shared.compile_errors.back();
  if (shared.not_implemented) throw *shared.not_implemented;
  return module;
}

}  // namespace logitlab::lang
