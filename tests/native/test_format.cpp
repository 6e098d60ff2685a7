// Printing as Python 3.11 and PyTorch 1.13 print. Every expected string below was printed by
// the oracle (/usr/bin/python3 with python3-torch); the one-liner that produced it is quoted.
// tests/fixtures/printing.jsonl (generate_printing.py) covers tensor printing far more widely
// through the whole pipeline.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "logitlab/error.hpp"
#include "logitlab/format.hpp"
#include "logitlab/tensor.hpp"

using namespace logitlab;

namespace {

Tensor f32(const std::vector<float>& v, Shape shape) { return Tensor::from_vector(v, std::move(shape)); }
Tensor f64(const std::vector<double>& v, Shape shape) { return Tensor::from_vector(v, std::move(shape)); }

Tensor arange_f32(std::int64_t n, Shape shape) {
  std::vector<float> v;
  for (std::int64_t i = 0; i < n; ++i) v.push_back(static_cast<float>(i));
  return f32(v, std::move(shape));
}

Tensor arange_i64(std::int64_t n, Shape shape) {
  std::vector<std::int64_t> v;
  for (std::int64_t i = 0; i < n; ++i) v.push_back(i);
  return Tensor::from_vector(v, std::move(shape));
}

void require_value_error(const std::string& spec, const std::string& message) {
  try {
    python_format_float(1.0, spec);
    FAIL("format(1.0, '" << spec << "') should raise ValueError");
  } catch (const PyError& e) {
    CHECK(e.type() == "ValueError");
    CHECK(e.message() == message);
  }
}

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNan = std::nan("");

}  // namespace

// python3 -c "print([repr(v) for v in [1.0, 0.4170299470424652, 1e-05, 1e16, 1e15, ...]])"
TEST_CASE("python_float_repr prints the shortest round-trip digits with Python's layout") {
  CHECK(python_float_repr(1.0) == "1.0");
  CHECK(python_float_repr(0.4170299470424652) == "0.4170299470424652");
  CHECK(python_float_repr(0.1) == "0.1");
  CHECK(python_float_repr(static_cast<double>(0.1f)) == "0.10000000149011612");
  CHECK(python_float_repr(0.30000000000000004) == "0.30000000000000004");
  CHECK(python_float_repr(1.0 / 3.0) == "0.3333333333333333");
  CHECK(python_float_repr(2.5) == "2.5");
  CHECK(python_float_repr(100.0) == "100.0");
  CHECK(python_float_repr(123456789.0) == "123456789.0");
  CHECK(python_float_repr(-0.0) == "-0.0");
}

TEST_CASE("python_float_repr switches to exponent form below 1e-4 and from 1e16") {
  CHECK(python_float_repr(0.0001) == "0.0001");
  CHECK(python_float_repr(1e-05) == "1e-05");
  CHECK(python_float_repr(-1.25e-05) == "-1.25e-05");
  CHECK(python_float_repr(1.5e-7) == "1.5e-07");
  CHECK(python_float_repr(1e15) == "1000000000000000.0");
  CHECK(python_float_repr(9999999999999998.0) == "9999999999999998.0");
  CHECK(python_float_repr(1e16) == "1e+16");
  CHECK(python_float_repr(1e22) == "1e+22");
  CHECK(python_float_repr(5e-324) == "5e-324");
  CHECK(python_float_repr(1.7976931348623157e308) == "1.7976931348623157e+308");
}

TEST_CASE("python_float_repr spells non-finite values like Python, without a sign on nan") {
  CHECK(python_float_repr(kInf) == "inf");
  CHECK(python_float_repr(-kInf) == "-inf");
  CHECK(python_float_repr(kNan) == "nan");
  CHECK(python_float_repr(-kNan) == "nan");
}

// python3 -c "for v, s in cases: print(repr(v), repr(s), repr(format(v, s)))"
TEST_CASE("python_format_float rounds fixed and exponent specs correctly, half to even on exact binary values") {
  CHECK(python_format_float(0.4170299470424652, ".4f") == "0.4170");
  CHECK(python_format_float(2.5, ".2f") == "2.50");
  CHECK(python_format_float(0.125, ".2f") == "0.12");
  CHECK(python_format_float(0.375, ".2f") == "0.38");
  CHECK(python_format_float(2.675, ".2f") == "2.67");
  CHECK(python_format_float(9.9999, ".2f") == "10.00");
  CHECK(python_format_float(0.5, ".0f") == "0");
  CHECK(python_format_float(1.5, ".0f") == "2");
  CHECK(python_format_float(2.5, ".0f") == "2");
  CHECK(python_format_float(-0.0, ".2f") == "-0.00");
  CHECK(python_format_float(1234.5678, ".3e") == "1.235e+03");
  CHECK(python_format_float(0.0, ".3e") == "0.000e+00");
  CHECK(python_format_float(1e300, ".2e") == "1.00e+300");
  CHECK(python_format_float(5e-324, ".3e") == "4.941e-324");
  CHECK(python_format_float(1.5, "E") == "1.500000E+00");
}

TEST_CASE("python_format_float general and percent specs follow Python") {
  CHECK(python_format_float(1234.5678, "g") == "1234.57");
  CHECK(python_format_float(1e-05, "g") == "1e-05");
  CHECK(python_format_float(0.0001, "g") == "0.0001");
  CHECK(python_format_float(1e16, "g") == "1e+16");
  CHECK(python_format_float(123456.0, "g") == "123456");
  CHECK(python_format_float(1234567.0, "g") == "1.23457e+06");
  CHECK(python_format_float(1e-7, "G") == "1E-07");
  CHECK(python_format_float(1234.5, "n") == "1234.5");
  CHECK(python_format_float(2.0, "#g") == "2.00000");
  CHECK(python_format_float(0.8765, ".1%") == "87.6%");
  CHECK(python_format_float(0.5, ".1%") == "50.0%");
  // No type but a precision: like 'g', but exponent form from exponent >= precision - 1.
  CHECK(python_format_float(123.0, ".3") == "1.23e+02");
  CHECK(python_format_float(-3.25, ".3") == "-3.25");
}

TEST_CASE("python_format_float with an empty spec is repr") {
  CHECK(python_format_float(1.0, "") == "1.0");
  CHECK(python_format_float(1e16, "") == "1e+16");
  CHECK(python_format_float(0.4170299470424652, "") == "0.4170299470424652");
}

TEST_CASE("python_format_float pads, aligns, signs and groups like Python") {
  CHECK(python_format_float(3.14159, "10.4f") == "    3.1416");
  CHECK(python_format_float(-3.14159, "10.4f") == "   -3.1416");
  CHECK(python_format_float(3.14159, ">8.3f") == "   3.142");
  CHECK(python_format_float(kInf, "10.2f") == "       inf");
  CHECK(python_format_float(kNan, ".4f") == "nan");
  CHECK(python_format_float(-kInf, ".4f") == "-inf");
  CHECK(python_format_float(kNan, "F") == "NAN");
  CHECK(python_format_float(1.5, "<8.2f") == "1.50    ");
  CHECK(python_format_float(1.5, "^9.2f") == "  1.50   ");
  CHECK(python_format_float(1.5, "*^9.2f") == "**1.50***");
  CHECK(python_format_float(-1.5, "=+9.2f") == "-    1.50");
  CHECK(python_format_float(-1.5, "09.2f") == "-00001.50");
  CHECK(python_format_float(-3.25, "+.2f") == "-3.25");
  CHECK(python_format_float(3.25, "+.2f") == "+3.25");
  CHECK(python_format_float(3.25, " .2f") == " 3.25");
  CHECK(python_format_float(-0.001, "z.2f") == "0.00");
  CHECK(python_format_float(3.0, "#.0f") == "3.");
  CHECK(python_format_float(1234567.891, ",.2f") == "1,234,567.89");
  CHECK(python_format_float(1234567.891, "_.1f") == "1_234_567.9");
  CHECK(python_format_float(1234.5, "012,.1f") == "00,001,234.5");
}

// python3 -c "format(1.0, spec)" for each spec, printing str(e)
TEST_CASE("python_format_float rejects invalid specs with Python 3.11's ValueError messages") {
  require_value_error(".4q", "Unknown format code 'q' for object of type 'float'");
  require_value_error("d", "Unknown format code 'd' for object of type 'float'");
  require_value_error("s", "Unknown format code 's' for object of type 'float'");
  require_value_error("abc", "Invalid format specifier 'abc' for object of type 'float'");
  require_value_error(".4fx", "Invalid format specifier '.4fx' for object of type 'float'");
  require_value_error("..", "Format specifier missing precision");
  require_value_error(".f", "Format specifier missing precision");
  require_value_error(",,", "Cannot specify ',' with ','.");
  require_value_error(",n", "Cannot specify ',' with 'n'.");
  require_value_error(",_", "Cannot specify both ',' and '_'.");
  require_value_error("_,", "Cannot specify both ',' and '_'.");
  require_value_error("99999999999999999999f", "Too many decimal digits in format string");
}

// python3 -c "print(repr(s))" for each string
TEST_CASE("python_str_repr picks quotes and escapes like Python") {
  CHECK(python_str_repr("") == "''");
  CHECK(python_str_repr("abc") == "'abc'");
  CHECK(python_str_repr("it's") == "\"it's\"");
  CHECK(python_str_repr("say \"hi\"") == "'say \"hi\"'");
  CHECK(python_str_repr("both ' and \"") == "'both \\' and \"'");
  CHECK(python_str_repr("Error: 'a'") == "\"Error: 'a'\"");
  CHECK(python_str_repr("back\\slash") == "'back\\\\slash'");
  CHECK(python_str_repr("tab\there\n") == "'tab\\there\\n'");
  CHECK(python_str_repr("cr\r") == "'cr\\r'");
  CHECK(python_str_repr(std::string("\x00\x07\x1b\x7f", 4)) == "'\\x00\\x07\\x1b\\x7f'");
}

TEST_CASE("python_str_repr keeps printable non-ASCII text and escapes invisible characters") {
  CHECK(python_str_repr("é ü ß 日本語 😀") == "'é ü ß 日本語 😀'");
  // "\u00a0\u00ad\u2028\u200b\ufeff\ue000" and "\x80\x9f"
  CHECK(python_str_repr("\xc2\xa0\xc2\xad\xe2\x80\xa8\xe2\x80\x8b\xef\xbb\xbf\xee\x80\x80") ==
        "'\\xa0\\xad\\u2028\\u200b\\ufeff\\ue000'");
  CHECK(python_str_repr("\xc2\x80\xc2\x9f") == "'\\x80\\x9f'");
}

TEST_CASE("size_repr prints torch.Size") {
  CHECK(size_repr({4, 5}) == "torch.Size([4, 5])");
  CHECK(size_repr({}) == "torch.Size([])");
  CHECK(size_repr({384, 2971}) == "torch.Size([384, 2971])");
}

// ---- tensor_repr: catalog §3b examples -------------------------------------------------------

TEST_CASE("tensor_repr prints 0-d tensors with the element formatter") {
  CHECK(tensor_repr(Tensor::scalar(DType::Float32, 3.5)) == "tensor(3.5000)");
  CHECK(tensor_repr(Tensor::scalar(DType::Float32, 2.0)) == "tensor(2.)");
  CHECK(tensor_repr(Tensor::scalar(DType::Int64, 7)) == "tensor(7)");
  CHECK(tensor_repr(Tensor::scalar(DType::Bool, 1)) == "tensor(True)");
  CHECK(tensor_repr(Tensor::scalar(DType::Float64, 1.5)) == "tensor(1.5000, dtype=torch.float64)");
  CHECK(tensor_repr(Tensor::scalar(DType::Int32, 3)) == "tensor(3, dtype=torch.int32)");
  CHECK(tensor_repr(Tensor::scalar(DType::Float32, -0.0)) == "tensor(-0.)");
  CHECK(tensor_repr(Tensor::scalar(DType::Float32, kNan)) == "tensor(nan)");
}

TEST_CASE("tensor_repr: float32 0.0001 is below 1e-4 as a double, so it prints in scientific notation") {
  CHECK(tensor_repr(Tensor::scalar(DType::Float32, 0.0001)) == "tensor(1.0000e-04)");
  CHECK(tensor_repr(Tensor::scalar(DType::Float64, 0.0001)) == "tensor(0.0001, dtype=torch.float64)");
}

TEST_CASE("tensor_repr chooses fixed, integer or scientific mode from the nonzero finite values") {
  CHECK(tensor_repr(f32({1.0f, 2.5f, -3.25f}, {3})) == "tensor([ 1.0000,  2.5000, -3.2500])");
  CHECK(tensor_repr(f32({1.f, 2.f, 3.f}, {3})) == "tensor([1., 2., 3.])");
  CHECK(tensor_repr(f32({1.0f, 1000.0f}, {2})) == "tensor([   1., 1000.])");
  CHECK(tensor_repr(f32({0.5f, 1000.0f}, {2})) == "tensor([5.0000e-01, 1.0000e+03])");
  CHECK(tensor_repr(f32({1e8f, 1.0f}, {2})) == "tensor([1.0000e+08, 1.0000e+00])");
  CHECK(tensor_repr(f32({0.0f, 1e-8f}, {2})) == "tensor([0.0000e+00, 1.0000e-08])");
  CHECK(tensor_repr(f32({NAN, INFINITY, -INFINITY, 1.5f}, {4})) == "tensor([   nan,    inf,   -inf, 1.5000])");
  CHECK(tensor_repr(f32({INFINITY, 1.0f}, {2})) == "tensor([inf, 1.])");
  CHECK(tensor_repr(f32({-0.0f, 1.5f}, {2})) == "tensor([-0.0000, 1.5000])");
}

TEST_CASE("tensor_repr right-aligns integers and bools") {
  CHECK(tensor_repr(Tensor::from_vector(std::vector<std::int64_t>{1, -20, 300}, {3})) == "tensor([  1, -20, 300])");
  CHECK(tensor_repr(Tensor::from_vector(std::vector<std::int64_t>{1000000000000, 1}, {2})) ==
        "tensor([1000000000000,             1])");
  CHECK(tensor_repr(Tensor::from_vector(std::vector<bool>{true, false, false, true}, {2, 2})) ==
        "tensor([[ True, False],\n        [False,  True]])");
}

TEST_CASE("tensor_repr nests rows and separates 3-D blocks with blank lines") {
  CHECK(tensor_repr(f32({1.0f, -2.5f, 3.125f, 4.0f}, {2, 2})) ==
        "tensor([[ 1.0000, -2.5000],\n        [ 3.1250,  4.0000]])");
  CHECK(tensor_repr(arange_i64(8, {2, 2, 2})) == "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])");
  CHECK(tensor_repr(f64({1, 2, 3, 4}, {2, 2})) == "tensor([[1., 2.],\n        [3., 4.]], dtype=torch.float64)");
}

TEST_CASE("tensor_repr wraps 1-D rows at 80 columns") {
  CHECK(tensor_repr(arange_f32(30, {30})) ==
        "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
        "        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n"
        "        28., 29.])");
}

TEST_CASE("tensor_repr summarises above 1000 elements, formatting only the edge items") {
  CHECK(tensor_repr(arange_i64(1001, {1001})) == "tensor([   0,    1,    2,  ...,  998,  999, 1000])");
  CHECK(tensor_repr(arange_f32(2000, {40, 50})).rfind(
            "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n"
            "         4.9000e+01],\n"
            "        [5.0000e+01, ",
            0) == 0);
}

TEST_CASE("tensor_repr of empty tensors shows the size unless 1-D and the dtype unless float32") {
  CHECK(tensor_repr(Tensor::empty(DType::Float32, {0})) == "tensor([])");
  CHECK(tensor_repr(Tensor::empty(DType::Float32, {0, 3})) == "tensor([], size=(0, 3))");
  CHECK(tensor_repr(Tensor::empty(DType::Int64, {0})) == "tensor([], dtype=torch.int64)");
  CHECK(tensor_repr(Tensor::empty(DType::Bool, {2, 0})) == "tensor([], size=(2, 0), dtype=torch.bool)");
}

// python3 -c "import torch, torch.nn.functional as F; print(repr(repr(...)))"
TEST_CASE("tensor_repr appends grad suffixes, wrapping them by PyTorch's rule") {
  CHECK(tensor_repr(Tensor::scalar(DType::Float32, 0.4170299470424652), "grad_fn=<NllLossBackward0>") ==
        "tensor(0.4170, grad_fn=<NllLossBackward0>)");
  CHECK(tensor_repr(f32({1.f, 2.f}, {2}), "requires_grad=True") == "tensor([1., 2.], requires_grad=True)");
  CHECK(tensor_repr(arange_f32(18, {1, 18}), "grad_fn=<MulBackward0>") ==
        "tensor([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
        "         14., 15., 16., 17.]], grad_fn=<MulBackward0>)");
  // torch.tensor([1.5, ..., 5.5], dtype=torch.float64, requires_grad=True) * 1: the measured
  // last line is two longer than the real one, so grad_fn wraps although it would fit.
  CHECK(tensor_repr(f64({1.5, 2.5, 3.5, 4.5, 5.5}, {5}), "grad_fn=<MulBackward0>") ==
        "tensor([1.5000, 2.5000, 3.5000, 4.5000, 5.5000], dtype=torch.float64,\n"
        "       grad_fn=<MulBackward0>)");
  CHECK(tensor_repr(Tensor::empty(DType::Float32, {0, 3}), "grad_fn=<MulBackward0>") ==
        "tensor([], size=(0, 3), grad_fn=<MulBackward0>)");
}

// torch.tensor([1, 2, 3]).reshape([1] * 80 + [3]): the row starts beyond column 80, so
// floor((80 - indent) / (width + 2)) is negative and max(1, ...) puts one element per line.
TEST_CASE("tensor_repr puts one element per line when a row starts beyond the line width") {
  Shape shape(80, 1);
  shape.push_back(3);
  const Tensor t = Tensor::from_vector(std::vector<std::int64_t>{1, 2, 3}, {3}).reshape(shape);
  const std::string pad(88, ' ');
  CHECK(tensor_repr(t) == "tensor(" + std::string(81, '[') + "1,\n" + pad + "2,\n" + pad + "3" +
                              std::string(81, ']') + ")");
}

TEST_CASE("tensor_repr prints views in logical order") {
  const Tensor m = arange_f32(12, {3, 4});
  CHECK(tensor_repr(m.transpose(0, 1)) ==
        "tensor([[ 0.,  4.,  8.],\n        [ 1.,  5.,  9.],\n        [ 2.,  6., 10.],\n        [ 3.,  7., 11.]])");
  CHECK(tensor_repr(m.slice(1, 1, 3)) == "tensor([[ 1.,  2.],\n        [ 5.,  6.],\n        [ 9., 10.]])");
  CHECK(tensor_repr(arange_i64(24, {2, 3, 4}).permute({2, 0, 1}).slice(0, 1, 3)) ==
        "tensor([[[ 1,  5,  9],\n         [13, 17, 21]],\n\n        [[ 2,  6, 10],\n         [14, 18, 22]]])");
}

TEST_CASE("tensor_repr of a summarised tensor never walks all its elements") {
  // torch.tensor(2.5).expand(1000000, 1000000): 10^12 logical elements over one stored value.
  const Tensor huge = Tensor::full(DType::Float32, {1, 1}, 2.5).expand({1000000, 1000000});
  const std::string s = tensor_repr(huge);  // walking 10^12 elements would never return
  CHECK(s ==
        "tensor([[2.5000, 2.5000, 2.5000,  ..., 2.5000, 2.5000, 2.5000],\n"
        "        [2.5000, 2.5000, 2.5000,  ..., 2.5000, 2.5000, 2.5000],\n"
        "        [2.5000, 2.5000, 2.5000,  ..., 2.5000, 2.5000, 2.5000],\n"
        "        ...,\n"
        "        [2.5000, 2.5000, 2.5000,  ..., 2.5000, 2.5000, 2.5000],\n"
        "        [2.5000, 2.5000, 2.5000,  ..., 2.5000, 2.5000, 2.5000],\n"
        "        [2.5000, 2.5000, 2.5000,  ..., 2.5000, 2.5000, 2.5000]])");
}

TEST_CASE("tensor_repr of a meta tensor is a caller bug") {
  CHECK_THROWS_AS(tensor_repr(Tensor::empty(DType::Float32, {384, 2971}, /*meta=*/true)), std::logic_error);
  CHECK_THROWS_AS(tensor_repr(Tensor()), std::logic_error);
}
