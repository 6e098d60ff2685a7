#pragma once
// Python's builtins of the subset (print, len, min, max, abs, round, int, float, str, repr,
// type, isinstance, range, list, tuple, bool) and attributes of non-tensor values.
#include <optional>
#include <string>

#include "value.hpp"

namespace logitlab::lang {

std::optional<Value> builtin(const std::string& name);
Value python_attribute(const Value& obj, const std::string& name);

}  // namespace logitlab::lang
