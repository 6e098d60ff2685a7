#pragma once
#include <string_view>

#include "logitlab/lang/ast.hpp"

namespace logitlab::lang {

// Parses a whole program. Throws PyError("SyntaxError" / "IndentationError", message) with the
// position in SyntaxErrorInfo-compatible form (see error.hpp: PyError carries line/col), or
// PyError("NotImplementedError", ...) for an expression outside the subset.
Module parse(std::string_view source);

}  // namespace logitlab::lang
