#pragma once
// The tokenizer of the Python subset (private to core/src/lang). It follows CPython 3.11's
// tokenizer: the same tokens, the same INDENT/DEDENT rules (tabs to multiples of 8, checked
// against tabs of width 1 for TabError), and the same errors with the same positions.
//
// Positions are 1-based lines and 1-based columns counted in code points (CPython's SyntaxError
// offset is in characters too). Each token's (line, col) is where CPython reports an error
// raised at that token, which for INDENT, DEDENT and the end of input is not the column of a
// character: see Token.
//
// Tokenizing stops at the first error, which the parser raises when it reads that far. When the
// parser fails first, CPython still reports some tokenizer errors found further on ("hard"
// errors: an unterminated string, a bad number, an unmatched bracket...) but not others ("soft"
// errors: indentation, a stray backslash, end of input after a backslash).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logitlab/error.hpp"

namespace logitlab::lang {

enum class Tok : std::uint8_t {
  Name,       // identifiers and keywords (see Token::kw)
  Number,
  String,     // the whole literal with its prefix and quotes
  Op,         // operators and delimiters (see Token::op)
  Newline,
  Indent,
  Dedent,
  EndMarker,
  End,        // input ended inside brackets, or a soft tokenizer error (TokenStream::error_at_end)
};

enum class Op : std::uint8_t {
  None,
  LPar, RPar, LSqb, RSqb, LBrace, RBrace,
  Colon, Comma, Semi, Dot, Ellipsis, Arrow, ColonEqual,
  Plus, Minus, Star, Slash, DoubleSlash, Percent, At, DoubleStar,
  Amper, VBar, Circumflex, Tilde, LeftShift, RightShift,
  Less, Greater, Equal, EqEqual, NotEqual, LessEqual, GreaterEqual,
  PlusEqual, MinusEqual, StarEqual, SlashEqual, DoubleSlashEqual, PercentEqual, AtEqual,
  AmperEqual, VBarEqual, CircumflexEqual, LeftShiftEqual, RightShiftEqual, DoubleStarEqual,
  Unknown,  // a printable character no rule accepts ('$', '?', '!', '`'): "invalid syntax" there
};

enum class Kw : std::uint8_t {
  None,  // not a keyword
  False_, None_, True_, And, As, Assert, Async, Await, Break, Class, Continue, Def, Del, Elif,
  Else, Except, Finally, For, From, Global, If, Import, In, Is, Lambda, Nonlocal, Not, Or, Pass,
  Raise, Return, Try, While, With, Yield,
};

struct Token {
  Tok type = Tok::EndMarker;
  Op op = Op::None;
  Kw kw = Kw::None;
  std::uint16_t level = 0;  // open brackets after this token (CPython's token level)
  // Where an error at this token is reported. For ordinary tokens: the first character. For
  // INDENT: column = the number of indentation characters; for DEDENT: column = the 0-based
  // column of the line's first character; at the end of input (DEDENT, ENDMARKER, End after an
  // unclosed bracket): (last line, its length + 1).
  int line = 1, col = 1;
  int end_line = 1, end_col = 1;  // one past the last character
  std::uint32_t begin = 0, end = 0;  // byte offsets in TokenStream::text
};

struct OpenBracket {
  char ch;
  int line, col;
};

struct TokenStream {
  // The source with \r\n and \r turned into \n, as CPython reads it. Empty in the stream of an
  // f-string expression, whose offsets are in the enclosing stream's text.
  std::string text;
  std::vector<Token> tokens;  // ends with EndMarker, or with End
  std::optional<PyError> error_at_end;  // the tokenizer error at the End token, if any
  bool error_is_hard = false;           // error_at_end is a hard error
  std::vector<OpenBracket> open;  // brackets open at the End token, innermost last
};

// Tokenizes a whole program, up to its end or its first tokenizer error (error_at_end). Throws
// PyError only for input CPython refuses before tokenizing: ValueError for a NUL byte,
// SyntaxError for invalid UTF-8.
TokenStream tokenize(std::string_view source);

// Tokenizes the expression of an f-string replacement field, text[begin, end), which starts at
// (line, col). Tokens are positioned in `text`; the stream ends with EndMarker.
// Like CPython, the expression is read as if parenthesized: newlines inside it are ignored.
// Its tokenizer errors are thrown.
TokenStream tokenize_fstring_expression(const std::string& text, std::size_t begin, std::size_t end,
                                        int line, int col);

// UTF-8 helpers shared with the parser (the text is valid UTF-8 once tokenize has accepted it).
char32_t decode_utf8(std::string_view s, std::size_t& i);
void append_utf8(std::string& out, char32_t c);
int count_code_points(std::string_view s);

}  // namespace logitlab::lang
