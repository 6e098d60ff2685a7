#pragma once
// c10::str-style message building: every piece streamed with operator<<, the way PyTorch's
// C++ checks build their messages (so doubles print as C++ prints them: 2.0 -> "2", 1.5 -> "1.5").
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace logitlab {

using Shape = std::vector<std::int64_t>;

// Wraps a shape so it streams as PyTorch's IntArrayRef does: "[2, 384, 2971]".
struct ShapeStr {
  const Shape& shape;
};
inline std::ostream& operator<<(std::ostream& os, ShapeStr s) {
  os << '[';
  for (std::size_t i = 0; i < s.shape.size(); ++i) os << (i ? ", " : "") << s.shape[i];
  return os << ']';
}
inline std::string shape_str(const Shape& s) {
  std::ostringstream os;
  os << ShapeStr{s};
  return os.str();
}

template <class... Args>
std::string cat(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

}  // namespace logitlab
