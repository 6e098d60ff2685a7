// The tokenizer: see lexer.hpp. Error texts and positions were checked one by one against
// compile(source, "<logitlab>", "exec") of CPython 3.11.2 (tests/native/test_parser.cpp).
#include "lang/lexer.hpp"
#include "logitlab/lang/parser.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "logitlab/str.hpp"

namespace logitlab::lang {
namespace {

struct CodeRange {
  char32_t lo, hi;
};
#include "lang/identifier_ranges.inc"

constexpr CodeRange kNonPrintable[] = {
#include "lang/printable_ranges.inc"
};

template <std::size_t N>
bool in_ranges(const CodeRange (&table)[N], char32_t c) {
  const CodeRange* it = std::upper_bound(std::begin(table), std::end(table), c,
                                         [](char32_t v, const CodeRange& r) { return v < r.lo; });
  return it != std::begin(table) && c <= (it - 1)->hi;
}

constexpr int kTabSize = 8;
constexpr std::size_t kMaxIndentLevels = 100;  // CPython's MAXINDENT
constexpr std::size_t kMaxBrackets = 200;      // CPython's MAXLEVEL

bool is_ascii_printable(unsigned char c) { return c >= 0x20 && c < 0x7F; }
bool is_printable(char32_t c) { return c < 0x80 ? is_ascii_printable(static_cast<unsigned char>(c)) : !in_ranges(kNonPrintable, c); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// What CPython's tokenizer reads as part of a name before checking it: every non-ASCII byte.
bool is_name_start(char c) { return is_letter(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

struct KeywordEntry {
  std::string_view text;
  Kw kw;
};
constexpr KeywordEntry kKeywords[] = {
    {"False", Kw::False_}, {"None", Kw::None_}, {"True", Kw::True_}, {"and", Kw::And},
    {"as", Kw::As}, {"assert", Kw::Assert}, {"async", Kw::Async}, {"await", Kw::Await},
    {"break", Kw::Break}, {"class", Kw::Class}, {"continue", Kw::Continue}, {"def", Kw::Def},
    {"del", Kw::Del}, {"elif", Kw::Elif}, {"else", Kw::Else}, {"except", Kw::Except},
    {"finally", Kw::Finally}, {"for", Kw::For}, {"from", Kw::From}, {"global", Kw::Global},
    {"if", Kw::If}, {"import", Kw::Import}, {"in", Kw::In}, {"is", Kw::Is},
    {"lambda", Kw::Lambda}, {"nonlocal", Kw::Nonlocal}, {"not", Kw::Not}, {"or", Kw::Or},
    {"pass", Kw::Pass}, {"raise", Kw::Raise}, {"return", Kw::Return}, {"try", Kw::Try},
    {"while", Kw::While}, {"with", Kw::With}, {"yield", Kw::Yield},
};

Kw keyword_of(std::string_view name) {
  if (name.size() < 2 || name.size() > 8) return Kw::None;
  for (const auto& k : kKeywords)
    if (k.text[0] == name[0] && k.text == name) return k.kw;
  return Kw::None;
}

struct OpEntry {
  std::string_view text;
  Op op;
};
// Longest first, so the first match is the longest.
constexpr OpEntry kOperators[] = {
    {"**=", Op::DoubleStarEqual}, {"//=", Op::DoubleSlashEqual}, {">>=", Op::RightShiftEqual},
    {"<<=", Op::LeftShiftEqual}, {"...", Op::Ellipsis},
    {"!=", Op::NotEqual}, {"%=", Op::PercentEqual}, {"&=", Op::AmperEqual}, {"**", Op::DoubleStar},
    {"*=", Op::StarEqual}, {"+=", Op::PlusEqual}, {"-=", Op::MinusEqual}, {"->", Op::Arrow},
    {"//", Op::DoubleSlash}, {"/=", Op::SlashEqual}, {":=", Op::ColonEqual}, {"<<", Op::LeftShift},
    {"<=", Op::LessEqual}, {"==", Op::EqEqual}, {">=", Op::GreaterEqual}, {">>", Op::RightShift},
    {"@=", Op::AtEqual}, {"^=", Op::CircumflexEqual}, {"|=", Op::VBarEqual},
    // CPython reads "<>" as one token that only the Barry-as-FLUFL mode accepts.
    {"<>", Op::Unknown},
    {"(", Op::LPar}, {")", Op::RPar}, {"[", Op::LSqb}, {"]", Op::RSqb}, {"{", Op::LBrace},
    {"}", Op::RBrace}, {":", Op::Colon}, {",", Op::Comma}, {";", Op::Semi}, {"+", Op::Plus},
    {"-", Op::Minus}, {"*", Op::Star}, {"/", Op::Slash}, {"|", Op::VBar}, {"&", Op::Amper},
    {"<", Op::Less}, {">", Op::Greater}, {"=", Op::Equal}, {".", Op::Dot}, {"%", Op::Percent},
    {"~", Op::Tilde}, {"^", Op::Circumflex}, {"@", Op::At},
};

char closing_of(char open) { return open == '(' ? ')' : open == '[' ? ']' : '}'; }

std::string hex4(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(c));
  return buf;
}

[[noreturn]] void throw_error(const char* type, const std::string& message, int line, int col) {
  PyError e(type, message);
  e.line = line;
  e.col = col;
  throw e;
}

// A tokenizer error that CPython raises wherever the parser stands (see lexer.hpp).
struct HardError {
  PyError error;
};

[[noreturn]] void throw_hard(const std::string& message, int line, int col) {
  PyError e("SyntaxError", message);
  e.line = line;
  e.col = col;
  throw HardError{e};
}

// The line (1-based) of byte `at` and the offset where that line starts.
struct LineAt {
  int line;
  std::size_t start;
};
LineAt line_at(std::string_view source, std::size_t at) {
  const std::string_view before = source.substr(0, at);
  const std::size_t nl = before.rfind('\n');
  return {static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1, nl == std::string_view::npos ? 0 : nl + 1};
}

// The length of the UTF-8 sequence starting at source[i] (a byte >= 0x80), or 0 with `reason`
// set when it is not one.
std::size_t utf8_sequence(std::string_view source, std::size_t i, const char*& reason) {
  const auto b = static_cast<unsigned char>(source[i]);
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) len = 2;
  else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  }
  if (len == 0) {
    reason = "invalid start byte";
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= source.size()) {
      reason = "unexpected end of data";
      return 0;
    }
    const auto c = static_cast<unsigned char>(source[i + k]);
    if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) {
      reason = "invalid continuation byte";
      return 0;
    }
  }
  return len;
}

// NUL bytes and invalid UTF-8 are refused before tokenizing, as compile() refuses them before
// its tokenizer runs; \r\n and lone \r become \n. Linear, and cheap on long ASCII text: each
// pass skips what it cannot be looking for (a 10 MB program is refused by its token count, so
// this pass is most of the time it takes).
std::string checked_source(std::string_view source) {
  auto col_of = [&](const LineAt& l, std::size_t p) {
    return count_code_points(source.substr(l.start, p - l.start)) + 1;
  };
  if (const void* nul = std::memchr(source.data(), '\0', source.size())) {
    const auto at = static_cast<std::size_t>(static_cast<const char*>(nul) - source.data());
    const LineAt l = line_at(source, at);
    PyError e("ValueError", "source code string cannot contain null bytes");
    e.line = l.line;
    e.col = col_of(l, at);
    throw e;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(source.data());
  const std::size_t n = source.size();
  for (std::size_t i = 0; i < n;) {
    // Eight ASCII bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, bytes + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (bytes[i] < 0x80) {
      ++i;
      continue;
    }
    const char* reason = nullptr;
    const std::size_t len = utf8_sequence(source, i, reason);
    if (reason) {
      const LineAt l = line_at(source, i);
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02x", bytes[i]);
      throw_error("SyntaxError",
                  cat("(unicode error) 'utf-8' codec can't decode byte ", byte, " in position ", i - l.start, ": ",
                      reason),
                  l.line, col_of(l, i));
    }
    i += len;
  }
  std::string text;
  text.reserve(n);
  for (std::size_t i = 0; i < n;) {
    const void* cr = std::memchr(bytes + i, '\r', n - i);
    const std::size_t stop = cr ? static_cast<std::size_t>(static_cast<const unsigned char*>(cr) - bytes) : n;
    text.append(source.data() + i, stop - i);
    if (stop == n) break;
    text += '\n';
    i = stop + 1;
    if (i < n && source[i] == '\n') ++i;
  }
  return text;
}

class Lexer {
 public:
  Lexer(const std::string& text, TokenStream& out, std::size_t begin, std::size_t end, int line, int col,
        bool fstring)
      : out_(out), s_(text), i_(begin), end_(end), fstring_(fstring), line_(line),
        line_start_(begin), line_col0_(col - 1), cache_pos_(begin), cache_col_(col - 1) {
    compute_end_position();
    if (fstring_) open_.push_back({'(', line, col});  // the expression reads as if parenthesized
  }

  void run() {
    try {
      tokens();
    } catch (const HardError& e) {
      if (fstring_) throw e.error;
      out_.error_at_end = e.error;
      out_.error_is_hard = true;
      Token t;
      t.type = Tok::End;
      t.line = t.end_line = e.error.line;
      t.col = t.end_col = e.error.col;
      t.begin = t.end = static_cast<std::uint32_t>(std::min(i_, end_));
      t.level = static_cast<std::uint16_t>(open_.size());
      out_.tokens.push_back(t);
      out_.open = open_;
    }
  }

 private:
  void tokens() {
    for (;;) {
      if (at_line_start_) {
        at_line_start_ = false;
        if (!indentation()) return;
      }
      while (i_ < end_ && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\f')) ++i_;
      if (i_ >= end_) {
        finish();
        return;
      }
      const char c = s_[i_];
      if (c == '#') {
        comment_start_ = i_;
        const void* nl = std::memchr(s_.data() + i_, '\n', end_ - i_);
        i_ = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - s_.data()) : end_;
        continue;
      }
      if (c == '\n') {
        if (line_has_tokens_ && open_.empty()) {
          const std::size_t at = comment_start_ != npos ? comment_start_ : i_;
          push(Tok::Newline, at, i_ + 1, line_, col_of(at) + 1);
          line_has_tokens_ = false;
        }
        ++i_;
        new_line(i_);
        at_line_start_ = true;
        continue;
      }
      comment_start_ = npos;
      if (c == '\\') {
        if (!continuation()) return;
        continue;
      }
      if (is_name_start(c)) {
        name_or_string();
      } else if (is_digit(c) || (c == '.' && i_ + 1 < end_ && is_digit(s_[i_ + 1]))) {
        number();
      } else if (c == '"' || c == '\'') {
        string(i_, i_);
      } else {
        op();
      }
    }
  }

  static constexpr std::size_t npos = std::string::npos;

  // --- positions ---------------------------------------------------------------------------

  // 0-based code-point column of byte p on the current line. Tokens come in order, so counting
  // on from the last answer keeps a long line linear.
  int col_of(std::size_t p) {
    if (p < cache_pos_) {
      cache_pos_ = line_start_;
      cache_col_ = line_col0_;
    }
    for (; cache_pos_ < p; ++cache_pos_)
      if (!is_continuation_byte(s_[cache_pos_])) ++cache_col_;
    return cache_col_;
  }

  void new_line(std::size_t start) {
    ++line_;
    line_start_ = start;
    line_col0_ = 0;
    cache_pos_ = start;
    cache_col_ = 0;
  }

  // Where CPython reports the end of input: the last line (the one before a final newline) and
  // its length in characters + 1.
  void compute_end_position() {
    if (fstring_) return;  // set when the expression ends
    std::size_t stop = s_.size();
    if (stop > 0 && s_[stop - 1] == '\n') --stop;
    const LineAt last = line_at(s_, stop);
    eof_line_ = last.line;
    eof_col_ = count_code_points(std::string_view(s_).substr(last.start, stop - last.start)) + 1;
  }

  Token& push(Tok type, std::size_t begin, std::size_t end, int line, int col) {
    if (out_.tokens.size() >= kMaxTokens) {
      PyError e("MemoryError", cat("the program has more than ", kMaxTokens, " tokens (names, numbers, operators, "
                                   "newlines...), more than Logit Lab's limit of max_code_tokens = ", kMaxTokens));
      e.playground = true;
      e.line = line;
      e.col = col;
      throw e;
    }
    Token t;
    t.type = type;
    t.line = line;
    t.col = col;
    t.begin = static_cast<std::uint32_t>(begin);
    t.end = static_cast<std::uint32_t>(end);
    t.end_line = line_;
    t.end_col = col_of(end) + 1;
    t.level = static_cast<std::uint16_t>(open_.size());
    out_.tokens.push_back(t);
    return out_.tokens.back();
  }

  Token& push_here(Tok type, std::size_t begin, std::size_t end) {
    line_has_tokens_ = true;
    return push(type, begin, end, line_, col_of(begin) + 1);
  }

  void push_at_end(Tok type) {
    Token t;
    t.type = type;
    t.line = t.end_line = eof_line_;
    t.col = t.end_col = eof_col_;
    t.begin = t.end = static_cast<std::uint32_t>(end_);
    t.level = static_cast<std::uint16_t>(open_.size());
    out_.tokens.push_back(t);
  }

  // --- errors --------------------------------------------------------------------------------

  // CPython's syntaxerror(): reported at the tokenizer's current position (byte `cur`), as a
  // count of the characters before it.
  [[noreturn]] void error_at_cur(const std::string& message, std::size_t cur) { throw_hard(message, line_, col_of(cur)); }
  [[noreturn]] void error_at_char(const std::string& message, std::size_t at) { throw_hard(message, line_, col_of(at) + 1); }

  // Stops with a soft error: the parser raises it if it reads up to here.
  void soft_error(const char* type, const std::string& message, int line, int col) {
    PyError e(type, message);
    e.line = line;
    e.col = col;
    out_.error_at_end = e;
    Token t;
    t.type = Tok::End;
    t.line = t.end_line = line;
    t.col = t.end_col = col;
    t.begin = t.end = static_cast<std::uint32_t>(std::min(i_, end_));
    t.level = static_cast<std::uint16_t>(open_.size());
    out_.tokens.push_back(t);
    out_.open = open_;
  }

  // --- indentation ---------------------------------------------------------------------------

  // At the start of a line: measures its indentation and emits INDENT/DEDENT. False when it
  // stopped at an error.
  bool indentation() {
    int col = 0, altcol = 0;
    int continued_col = 0;  // the column of the first backslash, when not 0
    std::size_t p = i_;
    for (; p < end_; ++p) {
      if (s_[p] == ' ') {
        ++col;
        ++altcol;
      } else if (s_[p] == '\t') {
        col = (col / kTabSize + 1) * kTabSize;
        ++altcol;
      } else if (s_[p] == '\f') {
        col = altcol = 0;
      } else if (s_[p] == '\\') {
        // Indentation continued on the next line: the first backslash's column counts, if any.
        i_ = p;
        if (!continuation()) return false;
        if (!continued_col) continued_col = col;
        p = i_ - 1;
      } else {
        break;
      }
    }
    if (continued_col) col = continued_col;
    if (p >= end_ || s_[p] == '#' || s_[p] == '\n') return true;  // blank lines do not count
    if (!open_.empty() || fstring_) return true;
    const int first_char_col = col_of(p);
    if (col == indents_.back()) {
      if (altcol != altindents_.back()) return tab_error();
    } else if (col > indents_.back()) {
      if (indents_.size() >= kMaxIndentLevels) {
        soft_error("IndentationError", "too many levels of indentation", line_, 1);
        return false;
      }
      if (altcol <= altindents_.back()) return tab_error();
      indents_.push_back(col);
      altindents_.push_back(altcol);
      Token& t = push(Tok::Indent, i_, p, line_, first_char_col);
      t.end_col = first_char_col + 1;
    } else {
      std::size_t keep = indents_.size();
      while (keep > 1 && col < indents_[keep - 1]) --keep;
      if (col != indents_[keep - 1]) {
        std::size_t eol = p;
        while (eol < end_ && s_[eol] != '\n') ++eol;
        soft_error("IndentationError", "unindent does not match any outer indentation level", line_,
                   col_of(eol) + 1);
        return false;
      }
      if (altcol != altindents_[keep - 1]) return tab_error();
      while (indents_.size() > keep) {
        indents_.pop_back();
        altindents_.pop_back();
        push(Tok::Dedent, p, p, line_, first_char_col);
      }
    }
    return true;
  }

  bool tab_error() {
    soft_error("TabError", "inconsistent use of tabs and spaces in indentation", line_, 1);
    return false;
  }

  // --- end of input --------------------------------------------------------------------------

  void finish() {
    if (fstring_) {
      eof_line_ = line_;
      eof_col_ = col_of(end_) + 1;
      if (open_.size() > 1) {
        soft_error("SyntaxError", "f-string: expecting '}'", eof_line_, eof_col_);
        return;
      }
      push_at_end(Tok::EndMarker);
      return;
    }
    if (!open_.empty()) {
      push_at_end(Tok::End);
      out_.open = open_;
      return;
    }
    if (line_has_tokens_) {
      const std::size_t at = comment_start_ != npos ? comment_start_ : end_;
      push(Tok::Newline, at, end_, line_, col_of(at) + 1);
    }
    for (std::size_t k = 1; k < indents_.size(); ++k) push_at_end(Tok::Dedent);
    push_at_end(Tok::EndMarker);
  }

  // A backslash outside a string: must end the line, and the line must not be the last.
  bool continuation() {
    if (i_ + 1 >= end_) {
      soft_error("SyntaxError", "unexpected EOF while parsing", eof_line_, eof_col_);
      return false;
    }
    if (s_[i_ + 1] != '\n') {
      soft_error("SyntaxError", "unexpected character after line continuation character", line_,
                 col_of(i_ + 1) + 1);
      return false;
    }
    i_ += 2;
    new_line(i_);
    if (i_ >= end_) {
      soft_error("SyntaxError", "unexpected EOF while parsing", eof_line_, eof_col_);
      return false;
    }
    return true;
  }

  // --- names and strings ---------------------------------------------------------------------

  void name_or_string() {
    // A string prefix: r, u, b, f and the combinations CPython allows (br, rb, fr, rf, any case).
    bool saw_b = false, saw_r = false, saw_u = false, saw_f = false;
    for (std::size_t p = i_; p < end_; ++p) {
      const char c = static_cast<char>(s_[p] | 0x20);
      if (c == 'b' && !saw_b && !saw_u && !saw_f) saw_b = true;
      else if (c == 'u' && !saw_b && !saw_u && !saw_r && !saw_f) saw_u = true;
      else if (c == 'r' && !saw_r && !saw_u) saw_r = true;
      else if (c == 'f' && !saw_f && !saw_b && !saw_u) saw_f = true;
      else break;
      if (p + 1 < end_ && (s_[p + 1] == '"' || s_[p + 1] == '\'')) {
        string(i_, p + 1);
        return;
      }
    }
    std::size_t p = i_;
    bool ascii = true;
    while (p < end_ && is_name_char(s_[p])) {
      if (static_cast<unsigned char>(s_[p]) >= 0x80) ascii = false;
      ++p;
    }
    if (!ascii) verify_identifier(i_, p);
    Token& t = push_here(Tok::Name, i_, p);
    if (ascii) t.kw = keyword_of(std::string_view(s_).substr(i_, p - i_));
    i_ = p;
  }

  void verify_identifier(std::size_t begin, std::size_t end) {
    bool first = true;
    for (std::size_t p = begin; p < end;) {
      const std::size_t at = p;
      const char32_t c = decode_utf8(s_, p);
      const bool ok = c < 0x80 || (first ? in_ranges(kIdentifierStart, c) : in_ranges(kIdentifierContinue, c));
      first = false;
      if (ok) continue;
      if (is_printable(c)) {
        std::string ch;
        append_utf8(ch, c);
        error_at_char(cat("invalid character '", ch, "' (U+", hex4(c), ")"), at);
      }
      error_at_char(cat("invalid non-printable character U+", hex4(c)), at);
    }
  }

  // A string literal: prefix at begin, opening quote at q. Only its extent is found here; the
  // parser decodes it.
  void string(std::size_t begin, std::size_t q) {
    const int start_line = line_;
    const int start_col = col_of(begin) + 1;
    const char quote = s_[q];
    const bool triple = q + 2 < end_ && s_[q + 1] == quote && s_[q + 2] == quote;
    std::size_t p = q + (triple ? 3 : 1);
    for (;;) {
      if (p >= end_) {
        throw_hard(cat(triple ? "unterminated triple-quoted string literal" : "unterminated string literal",
                       " (detected at line ", eof_line_, ")"),
                   start_line, start_col);
      }
      const char c = s_[p];
      if (c == '\\') {
        ++p;
        if (p < end_) {
          if (s_[p] == '\n') new_line(p + 1);
          ++p;
        }
        continue;
      }
      if (c == '\n') {
        if (!triple)
          throw_hard(cat("unterminated string literal (detected at line ", line_, ")"), start_line, start_col);
        ++p;
        new_line(p);
        continue;
      }
      if (c == quote) {
        if (!triple) {
          ++p;
          break;
        }
        if (p + 2 < end_ && s_[p + 1] == quote && s_[p + 2] == quote) {
          p += 3;
          break;
        }
      }
      ++p;
    }
    line_has_tokens_ = true;
    push(Tok::String, begin, p, start_line, start_col);
    i_ = p;
  }

  // --- numbers -------------------------------------------------------------------------------

  char at(std::size_t p) const { return p < end_ ? s_[p] : '\n'; }

  // After a number, CPython 3.11 accepts a directly following keyword that can come after a
  // number ("1if x else 2", with a warning) but no other letter: "invalid decimal literal".
  void verify_end(std::size_t p, const char* kind) {
    const char c = at(p);
    auto followed_by = [&](std::string_view rest) {  // the rest of a keyword, and no more
      for (std::size_t k = 0; k < rest.size(); ++k)
        if (at(p + 1 + k) != rest[k]) return false;
      return p + 1 + rest.size() >= end_ || !is_name_char(at(p + 1 + rest.size()));
    };
    bool keyword = false;
    if (c == 'a') keyword = followed_by("nd");
    else if (c == 'e') keyword = followed_by("lse");
    else if (c == 'f') keyword = followed_by("or");
    else if (c == 'i') keyword = at(p + 1) == 'f' || at(p + 1) == 'n' || at(p + 1) == 's';
    else if (c == 'o') keyword = followed_by("r");
    else if (c == 'n') keyword = followed_by("ot");
    if (!keyword && p < end_ && is_name_char(c)) error_at_cur(cat("invalid ", kind, " literal"), p);
  }

  // Digits with single underscores between them, starting at p (a digit). Returns the end.
  std::size_t decimal_tail(std::size_t p) {
    for (;;) {
      while (is_digit(at(p)) && p < end_) ++p;
      if (at(p) != '_' || p >= end_) return p;
      ++p;
      if (!is_digit(at(p)) || p >= end_) error_at_cur("invalid decimal literal", p);
    }
  }

  // Hex, octal or binary digits after the prefix, each group optionally after one underscore.
  std::size_t radix_digits(std::size_t p, int radix, const char* kind) {
    auto ok = [&](char c) {
      return radix == 16 ? is_hex_digit(c) : radix == 8 ? (c >= '0' && c <= '7') : (c == '0' || c == '1');
    };
    do {
      if (at(p) == '_' && p < end_) ++p;
      const char c = at(p);
      if (p >= end_ || !ok(c)) {
        if (radix != 16 && p < end_ && is_digit(c))
          error_at_cur(cat("invalid digit '", c, "' in ", kind, " literal"), p + 1);
        error_at_cur(cat("invalid ", kind, " literal"), p);
      }
      while (p < end_ && ok(at(p))) ++p;
    } while (at(p) == '_' && p < end_);
    if (radix != 16 && p < end_ && is_digit(at(p)))
      error_at_cur(cat("invalid digit '", at(p), "' in ", kind, " literal"), p + 1);
    verify_end(p, kind);
    return p;
  }

  void number() {
    const std::size_t start = i_;
    std::size_t p = i_;
    if (s_[p] == '0' && (at(p + 1) | 0x20) == 'x' && p + 1 < end_) {
      p = radix_digits(p + 2, 16, "hexadecimal");
    } else if (s_[p] == '0' && (at(p + 1) | 0x20) == 'o' && p + 1 < end_) {
      p = radix_digits(p + 2, 8, "octal");
    } else if (s_[p] == '0' && (at(p + 1) | 0x20) == 'b' && p + 1 < end_) {
      p = radix_digits(p + 2, 2, "binary");
    } else {
      bool fraction_or_exponent = false;
      if (s_[p] == '.') {
        p = float_rest(fraction(p + 1), false);
      } else if (s_[p] == '0') {
        // "0", "00", "0_0"; "07" is an old-style octal, now an error unless a float follows.
        ++p;
        for (;;) {
          if (at(p) == '_' && p < end_) {
            ++p;
            if (!is_digit(at(p)) || p >= end_) error_at_cur("invalid decimal literal", p);
          }
          if (at(p) != '0' || p >= end_) break;
          ++p;
        }
        bool nonzero = false;
        if (is_digit(at(p)) && p < end_) {
          nonzero = true;
          p = decimal_tail(p);
        }
        const char c = at(p);
        if ((c == '.' || (c | 0x20) == 'e' || (c | 0x20) == 'j') && p < end_) {
          fraction_or_exponent = true;
        } else if (nonzero) {
          throw_hard("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal "
                     "integers",
                     line_, col_of(start) + 1);
        }
      } else {
        p = decimal_tail(p);
        fraction_or_exponent = true;
      }
      if (fraction_or_exponent) p = float_rest(p, true);
      else if (s_[start] != '.') verify_end(p, "decimal");
    }
    push_here(Tok::Number, start, p);
    i_ = p;
  }

  // After the integer part: [. digits] [e [+-] digits] [j], then the end check.
  std::size_t float_rest(std::size_t p, bool dot_allowed) {
    if (dot_allowed && at(p) == '.' && p < end_) p = fraction(p + 1);
    if ((at(p) | 0x20) == 'e' && p < end_) {
      const std::size_t e = p;
      ++p;
      if ((at(p) == '+' || at(p) == '-') && p < end_) {
        ++p;
        if (!is_digit(at(p)) || p >= end_) error_at_cur("invalid decimal literal", p);
      } else if (!is_digit(at(p)) || p >= end_) {
        // "1e" is a number followed by a name starting with 'e': only "1else" is allowed.
        verify_end(e, "decimal");
        return e;
      }
      p = decimal_tail(p);
    }
    if ((at(p) | 0x20) == 'j' && p < end_) {
      ++p;
      verify_end(p, "imaginary");
      return p;
    }
    verify_end(p, "decimal");
    return p;
  }

  std::size_t fraction(std::size_t p) {
    if (is_digit(at(p)) && p < end_) p = decimal_tail(p);
    return p;
  }

  // --- operators -----------------------------------------------------------------------------

  void op() {
    const char c = s_[i_];
    if (!is_ascii_printable(static_cast<unsigned char>(c)))
      error_at_char(cat("invalid non-printable character U+", hex4(static_cast<unsigned char>(c))), i_);
    const std::string_view rest = std::string_view(s_).substr(i_, std::min<std::size_t>(3, end_ - i_));
    Op found = Op::Unknown;
    std::size_t len = 1;
    for (const auto& o : kOperators) {
      if (o.text[0] == c && rest.substr(0, o.text.size()) == o.text) {
        found = o.op;
        len = o.text.size();
        break;
      }
    }
    const int col = col_of(i_) + 1;
    if (c == '(' || c == '[' || c == '{') {
      if (open_.size() >= kMaxBrackets) error_at_char("too many nested parentheses", i_);
      open_.push_back({c, line_, col});
    } else if (c == ')' || c == ']' || c == '}') {
      if (open_.empty() || (fstring_ && open_.size() == 1))
        error_at_char(cat("unmatched '", c, "'"), i_);
      const OpenBracket& o = open_.back();
      if (closing_of(o.ch) != c) {
        std::string message = cat("closing parenthesis '", c, "' does not match opening parenthesis '", o.ch, "'");
        if (o.line != line_) message += cat(" on line ", o.line);
        error_at_char(message, i_);
      }
      open_.pop_back();
    }
    Token& t = push_here(Tok::Op, i_, i_ + len);
    t.op = found;
    i_ += len;
  }

  TokenStream& out_;
  const std::string& s_;
  std::size_t i_, end_;
  bool fstring_;
  int line_;
  std::size_t line_start_;
  int line_col0_;
  std::size_t cache_pos_;
  int cache_col_;
  int eof_line_ = 1, eof_col_ = 1;
  bool at_line_start_ = true;
  bool line_has_tokens_ = false;
  std::size_t comment_start_ = npos;
  std::vector<int> indents_{0}, altindents_{0};
  std::vector<OpenBracket> open_;
};

}  // namespace

char32_t decode_utf8(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  const std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
  char32_t c = b & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
  for (std::size_t k = 1; k < len && i + k < s.size(); ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

int count_code_points(std::string_view s) {
  int n = 0;
  for (char c : s)
    if (!is_continuation_byte(c)) ++n;
  return n;
}

TokenStream tokenize(std::string_view source) {
  TokenStream out;
  out.text = checked_source(source);
  out.tokens.reserve(std::min<std::size_t>(out.text.size() / 3, 1 << 16) + 8);  // grows past that as needed
  Lexer lexer(out.text, out, 0, out.text.size(), 1, 1, false);
  lexer.run();
  return out;
}

TokenStream tokenize_fstring_expression(const std::string& text, std::size_t begin, std::size_t end,
                                        int line, int col) {
  TokenStream out;
  Lexer lexer(text, out, begin, end, line, col, true);
  lexer.run();
  return out;
}

}  // namespace logitlab::lang
