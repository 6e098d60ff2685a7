#pragma once
// The parser of the Python subset (DESIGN.md "The Python subset"), faithful to CPython 3.11:
// a program CPython rejects is rejected with CPython's exception type, message and position.
//
// Positions (PyError::line/col, and every node's line/col) are 1-based, and columns count
// characters (code points), as CPython's SyntaxError.offset does; CPython's AST col_offset counts
// UTF-8 bytes instead, so on lines with non-ASCII text the columns differ from ast.parse's.
#include <cstddef>
#include <string_view>

#include "logitlab/lang/ast.hpp"

namespace logitlab::lang {

// Bounds that keep every recursive walk of the tree (parsing, evaluation, destruction) within a
// small stack, such as WebAssembly's. A program beyond them gets a SyntaxError.
inline constexpr int kMaxNesting = 100;          // nested expressions being parsed (brackets, ...)
inline constexpr int kMaxExpressionDepth = 200;  // depth of an expression tree
inline constexpr int kMaxBlockDepth = 200;       // nested blocks, counting an elif as one level
// Tokens of a program (names, numbers, strings, operators, newlines...): bounds the time and
// memory parsing takes. Beyond it the tokenizer stops with a MemoryError naming the limit.
inline constexpr std::size_t kMaxTokens = std::size_t{1} << 20;  // 1,048,576

// Parses a whole program. Throws PyError:
//  - "SyntaxError", "IndentationError" or "TabError" with CPython 3.11's message and position;
//    also the errors CPython's compiler raises before running anything ("'return' outside
//    function", "keyword argument repeated: x");
//  - "ValueError" for a NUL byte ("source code string cannot contain null bytes");
//  - "NotImplementedError" (PyError::playground set) for an expression outside the subset
//    ("Logit Lab does not support dictionaries yet"), at the first one, but only when the whole
//    program is free of syntax errors.
// Statements outside the subset (for, while, def, class, with, return, del, ... and statements
// containing a lambda) are parsed in full and kept as StmtKind::Unsupported, whose text names
// the construct ("'for' loops"), so the program runs up to them.
Module parse(std::string_view source);

}  // namespace logitlab::lang
