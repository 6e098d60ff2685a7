#pragma once
// Runtime values of the Python subset.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "logitlab/dtype.hpp"
#include "logitlab/tensor.hpp"

namespace logitlab::lang {

struct Value;
using ValueList = std::vector<Value>;

struct NoneV {};
struct ModuleV {
  std::string name;  // "torch", "torch.nn", "torch.nn.functional"
};
struct KwArg {
  std::string name;
  std::shared_ptr<Value> value;
};
struct CallArgs;
struct FunctionV {
  std::string name;  // as Python names it in messages, e.g. "cross_entropy", "print"
  std::function<Value(CallArgs&)> call;
  bool traced = false;  // a torch op: each call goes into the response's trace
  std::string as_type;  // builtins that are also types (int, float, ...): the type's name
};
struct ExceptionV {
  std::string type;
  std::string message;
};
struct TupleV {
  std::shared_ptr<ValueList> items;
};
struct ListV {
  std::shared_ptr<ValueList> items;
};
struct DTypeV {
  DType dtype;
};
// torch.Size: a tuple of ints that prints as torch.Size([4, 5]).
struct SizeV {
  Shape dims;
};
// A Python type object, as type(x) returns it: prints as <class 'int'> / <class 'torch.Tensor'>.
struct TypeV {
  std::string name;  // "int", "float", "str", "bool", "list", "tuple", "NoneType", "torch.Tensor", ...
};
struct RangeV {
  std::int64_t start = 0, stop = 0, step = 1;
};
// x[a:b:c]; a missing part is nullopt.
struct SliceV {
  std::optional<std::int64_t> start, stop, step;
};
struct EllipsisV {};
// An instance of a class Logit Lab implements (nn.CrossEntropyLoss(), ...): Python's type name,
// its repr, its attributes, and what calling it does (empty: not callable).
struct ObjectV {
  std::string type;
  std::string repr;
  std::function<Value(CallArgs&)> call;
  std::shared_ptr<std::vector<std::pair<std::string, Value>>> attrs;
};
// A structseq such as torch.return_types.max: a tuple whose items also have names.
struct NamedTupleV {
  std::string type;  // "torch.return_types.max"
  std::vector<std::string> fields;
  std::shared_ptr<ValueList> items;
};

struct Value {
  std::variant<NoneV, bool, std::int64_t, double, std::string, Tensor, ModuleV, FunctionV, ExceptionV,
               TupleV, ListV, DTypeV, SizeV, TypeV, RangeV, SliceV, EllipsisV, ObjectV, NamedTupleV>
      v;

  Value() : v(NoneV{}) {}
  template <class T>
  Value(T x) : v(std::move(x)) {}  // NOLINT: implicit on purpose, values are built everywhere
  Value(int x) : v(static_cast<std::int64_t>(x)) {}
  Value(const char* s) : v(std::string(s)) {}

  template <class T> bool is() const { return std::holds_alternative<T>(v); }
  template <class T> const T& as() const { return std::get<T>(v); }
};

// What a running program owns besides its variables: output, warnings, the random generator.
struct Runtime {
  std::string out;                    // the program's stdout
  std::vector<std::string> warnings;  // UserWarnings (Python prints them to stderr)
  std::mt19937_64 rng;                // torch.manual_seed / the request's seed
  std::int64_t max_elements = 0;      // the budget of live tensor elements
};

struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keywords;
  Runtime* rt = nullptr;
};

// Python's type name, as in "'int' object has no attribute 'x'".
std::string type_name(const Value& v);
// str() and repr() as Python and PyTorch print them.
std::string py_str(const Value& v);
std::string py_repr(const Value& v);

}  // namespace logitlab::lang
