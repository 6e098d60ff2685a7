// The torch / Tensor surface through run(): argument parsing messages, indexing, shapes first.
#include <catch2/catch.hpp>

#include "logitlab/api.hpp"

using nlohmann::json;

namespace {
json run_code(const std::string& code, std::int64_t max_elements = 0) {
  json req = {{"code", code}, {"seed", 0}};
  if (max_elements) req["max_elements"] = max_elements;
  return logitlab::run(req);
}
}  // namespace

TEST_CASE("a C++-bound method missing its argument uses torch's plural wording") {
  const json r = run_code("x = torch.zeros(3)\ntry:\n    x.reshape()\nexcept TypeError as e:\n    print(e)\n");
  CHECK(r["stdout"] == "reshape() missing 1 required positional arguments: \"shape\"\n");
}

TEST_CASE("several overloads none of which match list every signature") {
  const json r = run_code("x = torch.zeros(2, 3)\ntry:\n    x.max(5, 6, 7)\nexcept TypeError as e:\n    print(e)\n");
  CHECK(r["stdout"] ==
        "max() received an invalid combination of arguments - got (int, int, int), but expected one of:\n * ()\n"
        " * (Tensor other)\n * (int dim, bool keepdim)\n * (name dim, bool keepdim)\n\n");
}

TEST_CASE("indexing mixes ints, slices, None and index tensors") {
  const json r = run_code("m = torch.arange(12).reshape(3, 4)\nprint(m[1:, None, 2].shape, m[torch.tensor([2, 0])][:, -1])\n"
                          "print(m[m > 9], m[..., 0])\n");
  CHECK(r["stdout"] == "torch.Size([2, 1]) tensor([11,  3])\ntensor([10, 11]) tensor([0, 4, 8])\n");
}

TEST_CASE("an int index out of range names the original dimension") {
  const json r = run_code("m = torch.zeros(4, 5)\nm[0, 5]\n");
  CHECK(r["error"]["type"] == "IndexError");
  CHECK(r["error"]["message"] == "index 5 is out of bounds for dimension 1 with size 5");
}

TEST_CASE("max with dim returns torch.return_types.max that unpacks") {
  const json r = run_code("v, i = torch.tensor([[1., 5., 2.], [7., 0., 1.]]).max(dim=1)\nprint(i)\n"
                          "print(torch.tensor([[1., 5., 2.], [7., 0., 1.]]).max(dim=1))\n");
  CHECK(r["stdout"] == "tensor([1, 0])\ntorch.return_types.max(\nvalues=tensor([5., 7.]),\nindices=tensor([1, 0]))\n");
}

TEST_CASE("shapes first: a huge factory is meta, so a batch-size error answers at once") {
  const json r = run_code("logits = torch.randn(100000, 100000)\nlabels = torch.randint(0, 10, (5,))\n"
                          "F.cross_entropy(logits, labels)\n");
  CHECK(r["error"]["type"] == "ValueError");
  CHECK(r["error"]["message"] == "Expected input batch_size (100000) to match target batch_size (5).");
}

TEST_CASE("shapes first: a program that needs values past the budget ends with MemoryError naming it") {
  const json r = run_code("x = torch.zeros(100)\nprint(x.sum())\n", 10);
  CHECK(r["error"]["type"] == "MemoryError");
  CHECK(r["error"]["message"].get<std::string>().find("max_elements") != std::string::npos);
}

TEST_CASE("Tensor methods that are ops appear in the trace with the result shape") {
  const json r = run_code("x = torch.zeros(2, 3)\ny = x.reshape(3, 2)\n");
  REQUIRE(r["trace"].size() == 2);
  CHECK(r["trace"][1]["op"] == "reshape");
  CHECK(r["trace"][1]["result"]["shape"] == json::array({3, 2}));
}

TEST_CASE("nn.CrossEntropyLoss prints as PyTorch prints a module and checks its forward arguments") {
  const json r = run_code("c = nn.CrossEntropyLoss()\nprint(c)\ntry:\n    c(torch.zeros(2, 3))\nexcept TypeError as e:\n"
                          "    print(e)\n");
  CHECK(r["stdout"] == "CrossEntropyLoss()\nCrossEntropyLoss.forward() missing 1 required positional argument: 'target'\n");
}

TEST_CASE("torch.tensor rejects ragged lists with PyTorch's ValueError") {
  const json r = run_code("torch.tensor([[1, 2], [3]])\n");
  CHECK(r["error"]["type"] == "ValueError");
  CHECK(r["error"]["message"] == "expected sequence of length 2 at dim 1 (got 1)");
}
