// Every explanation Logit Lab can give, by stable id. Issue 6 gives each id a page of its own, so
// each entry says what the message means, why PyTorch insists, which fixes of the gallery
// (fixes.js) help and which do not, and (example) a short program that produces it; the tests run
// every example in real PyTorch (tests/fixtures/generate_fixes.py) and in the core and check that
// it gets its own id. Plain text only: the page inserts it with textContent.

export const CATALOG = [
  {
    id: 'batch-mismatch',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(384, 10)\nlabels = torch.randint(0, 10, (864,))\nloss = F.cross_entropy(logits, labels)\n",
    title: 'Logits and labels describe different numbers of examples',
    match: 'ValueError: Expected input batch_size (N) to match target batch_size (M).',
    meaning: 'cross_entropy pairs row i of the logits with entry i of the labels. Dimension 0 of both is the batch: ' +
      'the logits have N rows of class scores, the labels have M answers, and N is not M.',
    why: 'A loss compares each prediction with its own answer. With different counts some predictions have no answer ' +
      '(or some answers no prediction), and PyTorch cannot know which row belongs to which example, so it refuses.',
    works: ['same-batch', 'flatten', 'pad-ignore-index', 'class-indices'],
    doesNotWork: ['truncate', 'reshape-split', 'argmax-onehot'],
  },
  {
    id: 'int-target-like-logits',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.randint(0, 10, (4, 10))\nloss = F.cross_entropy(logits, labels)\n",
    title: 'Integer labels with exactly the logits\' shape',
    match: 'RuntimeError: Expected floating point type for target with class probabilities, got Long',
    meaning: 'When the target has the same shape as the logits, cross_entropy reads it as class probabilities (a ' +
      'probability for every class of every example). Probabilities are floats, and these labels are integers.',
    why: 'Shape decides the meaning of a target: [N] means one class index per example, [N, C] means a probability ' +
      'per class. Integer labels of shape [N, C] fit neither reading, so PyTorch stops instead of guessing.',
    works: ['class-indices', 'probabilities', 'argmax-onehot'],
    doesNotWork: ['truncate', 'cast-to-float'],
  },
  {
    id: 'multi-target',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.randint(0, 10, (4, 3))\nloss = F.cross_entropy(logits, labels)\n",
    title: 'Labels with a second dimension that is not the classes',
    match: 'RuntimeError: 0D or 1D target tensor expected, multi-target not supported',
    meaning: 'For logits of shape [N, C] the labels must be [N] class indices (or [N, C] probabilities). These labels ' +
      'have two dimensions whose second size is not C, so they are neither.',
    why: 'cross_entropy handles one class per example. Several targets per example (multi-label, or a sequence of ' +
      'labels) need another loss or a reshape that pairs each label with its own row of logits.',
    works: ['class-indices', 'argmax-onehot', 'flatten'],
    doesNotWork: ['truncate'],
  },
  {
    id: 'invalid-reshape',
    example: "import torch\nimport torch.nn.functional as F\n\nlabels = torch.randint(0, 10, (864,))\nblocks = labels.reshape(2, 384)\n",
    title: 'A reshape that does not keep the number of elements',
    match: 'RuntimeError: shape \'[...]\' is invalid for input of size S',
    meaning: 'reshape and view rearrange the same elements; the new shape must hold exactly as many elements as the ' +
      'tensor has. Here the product of the requested sizes is not the tensor\'s size.',
    why: 'No element may be invented or dropped by a reshape. If the sizes do not multiply to the same total, the ' +
      'data cannot be laid out in the new shape.',
    works: ['same-batch', 'flatten'],
    doesNotWork: ['reshape-split'],
  },
  {
    id: 'target-out-of-bounds',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(3, 4)\nlabels = torch.tensor([1, 4, 2])\nloss = F.cross_entropy(logits, labels)\n",
    title: 'A class index outside 0 … C−1',
    match: 'IndexError: Target T is out of bounds.',
    meaning: 'Each class-index label must be between 0 and C−1, where C is the size of the logits\' class dimension. ' +
      'One label is outside that range.',
    why: 'The label picks one of the C scores of its row; index T does not exist. The usual causes: labels that ' +
      'count from 1, a vocabulary larger than the model\'s output layer, or padding marked with a value other than ' +
      'ignore_index.',
    works: ['class-indices', 'pad-ignore-index'],
    doesNotWork: ['cast-to-float'],
  },
  {
    id: 'spatial-target-size',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(2, 5, 10)\nlabels = torch.randint(0, 10, (2, 5))\nloss = F.cross_entropy(logits, labels)\n",
    title: 'Labels that do not match the positions of K-dimensional logits',
    match: 'RuntimeError: Expected target size [N, d1, ...], got [...]',
    meaning: 'With logits of three or more dimensions, cross_entropy reads them as (batch, classes, positions...) and ' +
      'wants labels of shape (batch, positions...): the logits without their class dimension.',
    why: 'Each position of each example needs one class index. A sequence model usually returns (batch, sequence, ' +
      'classes), with classes last, so PyTorch takes the sequence for the classes and the shapes disagree.',
    works: ['permute', 'flatten'],
    doesNotWork: ['view-not-permute', 'truncate'],
  },
  {
    id: 'spatial-target-dims',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(2, 3, 8, 8)\nlabels = torch.randint(0, 3, (2, 64))\nloss = F.cross_entropy(logits, labels)\n",
    title: 'Wrong number of label dimensions for 4-dimensional logits',
    match: 'RuntimeError: only batches of spatial targets supported (3D tensors) but got targets of dimension: K',
    meaning: 'Logits of shape (N, C, H, W) need labels of shape (N, H, W): one class index per pixel.',
    why: 'The label tensor must have the logits\' dimensions minus the class dimension.',
    works: ['class-indices', 'permute'],
    doesNotWork: ['truncate'],
  },
  {
    id: 'size-mismatch',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(10)\nlabels = torch.tensor([3])\nloss = F.cross_entropy(logits, labels)\n",
    title: 'Labels that do not fit the logits\' other dimensions',
    match: 'RuntimeError: size mismatch (got input: [...], target: [...])',
    meaning: 'The labels\' shape does not line up with the logits without their class dimension.',
    why: 'For a single example (1-D logits) the label is one number, a 0-d tensor; for (N, C, H, W) logits the labels ' +
      'must be (N, H, W).',
    works: ['class-indices'],
    doesNotWork: ['truncate'],
  },
  {
    id: 'target-dtype',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.tensor([1.0, 0.0, 3.0, 9.0])\nloss = F.cross_entropy(logits, labels)\n",
    title: 'Class-index labels that are not int64',
    match: 'RuntimeError: expected scalar type Long but found Float',
    meaning: 'Labels of shape [N] are class indices, and PyTorch wants them as 64-bit integers (torch.long). These ' +
      'are another dtype (floats, int32 or bool).',
    why: 'An index has to be a whole number. Floats often come from a loader that turned everything into floats, or ' +
      'from argmax of probabilities stored as float. Convert with labels.long() once they hold whole numbers.',
    works: ['class-indices', 'argmax-onehot'],
    doesNotWork: ['cast-to-float'],
  },
  {
    id: 'logits-dtype',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randint(0, 10, (4, 10))\nlabels = torch.randint(0, 10, (4,))\nloss = F.cross_entropy(logits, labels)\n",
    title: 'Integer logits',
    match: 'RuntimeError: "log_softmax_lastdim_kernel_impl" not implemented for \'Long\'',
    meaning: 'cross_entropy starts with log_softmax of the logits, which exists only for floating-point tensors. ' +
      'These logits are integers.',
    why: 'Logits are real-valued scores from a model. Integer logits usually mean the arguments were swapped ' +
      '(labels first) or a tensor was built from integers; use logits.float() or pass (logits, labels) in that order.',
    works: ['class-indices'],
    doesNotWork: [],
  },
  {
    id: 'weight-size',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.randint(0, 10, (4,))\nloss = F.cross_entropy(logits, labels, weight=torch.ones(9))\n",
    title: 'A class weight tensor of the wrong size',
    match: 'RuntimeError: weight tensor should be defined either for all C classes or no classes but got weight tensor of shape: [K]',
    meaning: 'weight= gives one weight per class, so it must be a 1-D tensor with exactly C entries, C being the ' +
      'logits\' class dimension.',
    why: 'Each class\'s loss is multiplied by its weight; a missing or extra weight cannot be assigned to a class.',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'weight-dtype',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.randint(0, 10, (4,))\nloss = F.cross_entropy(logits, labels, weight=torch.ones(10, dtype=torch.long))\n",
    title: 'A class weight tensor of another dtype than the logits',
    match: 'RuntimeError: expected scalar type Float but found Long',
    meaning: 'The weight tensor must have the logits\' floating-point dtype.',
    why: 'Weights multiply float losses; PyTorch does not convert them silently here. Use weight.float().',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'view-non-contiguous',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(2, 5, 10)\nflat = logits.transpose(1, 2).view(-1, 5)\n",
    title: 'view on a tensor whose memory is not in row order',
    match: 'RuntimeError: view size is not compatible with input tensor\'s size and stride ...',
    meaning: 'view only reinterprets existing memory. After permute or transpose the elements are no longer stored in ' +
      'the order the new shape needs, so view cannot produce it.',
    why: 'Use reshape (which copies when it must) or .contiguous().view(...). Check too that the permute was meant: ' +
      'permute then reshape is right for moving the class axis; view alone never moves data.',
    works: ['flatten', 'permute'],
    doesNotWork: ['view-not-permute'],
  },
  {
    id: 'prob-target-ignore-index',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.softmax(torch.randn(4, 10), dim=1)\nloss = F.cross_entropy(logits, labels, ignore_index=0)\n",
    title: 'ignore_index with probability targets',
    match: 'RuntimeError: ignore_index is not supported for floating point target',
    meaning: 'ignore_index marks class-index labels to skip. Probability targets have no class index, so a ' +
      'non-negative ignore_index cannot apply.',
    why: 'To skip positions with probability targets, give them all-zero probabilities or weight them out.',
    works: ['probabilities', 'pad-ignore-index'],
    doesNotWork: [],
  },
  {
    id: 'label-smoothing-range',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.randint(0, 10, (4,))\nloss = F.cross_entropy(logits, labels, label_smoothing=2.0)\n",
    title: 'label_smoothing outside 0.0 … 1.0',
    match: 'RuntimeError: label_smoothing must be between 0.0 and 1.0. Got: x',
    meaning: 'label_smoothing mixes the target with a uniform distribution; it is a fraction from 0.0 to 1.0.',
    why: 'Values above 1 would give negative target probabilities.',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'invalid-reduction',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.randint(0, 10, (4,))\nloss = F.cross_entropy(logits, labels, reduction='average')\n",
    title: 'An unknown reduction',
    match: 'ValueError: X is not a valid value for reduction',
    meaning: 'reduction must be \'mean\', \'sum\' or \'none\'.',
    why: 'PyTorch checks the string before computing anything.',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'broadcast-mismatch',
    example: "import torch\nimport torch.nn.functional as F\n\npredictions = torch.randn(384, 10)\ntargets = torch.randn(864, 10)\nerror = predictions - targets\n",
    title: 'Element-wise arithmetic on tensors whose shapes do not broadcast',
    match: 'RuntimeError: The size of tensor a (A) must match the size of tensor b (B) at non-singleton dimension D',
    meaning: 'Element-wise operations pair elements position by position; sizes must be equal or 1 in each dimension, ' +
      'counted from the right.',
    why: 'A and B differ and neither is 1, so there is no way to pair the elements.',
    works: ['same-batch'],
    doesNotWork: ['truncate'],
  },
  {
    id: 'one-hot-input',
    example: "import torch\nimport torch.nn.functional as F\n\nlabels = torch.tensor([0, 2, 7])\nonehot = F.one_hot(labels, num_classes=5)\n",
    title: 'F.one_hot with invalid input',
    match: 'RuntimeError: Class values must be smaller than num_classes. / one_hot is only applicable to index tensor.',
    meaning: 'F.one_hot takes int64 class indices from 0 to num_classes−1.',
    why: 'Each index becomes a row with a 1 at that position; an index outside the row, or a float, has no position.',
    works: ['class-indices'],
    doesNotWork: [],
  },
  {
    id: 'permute-dims',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(2, 5, 10)\nmoved = logits.permute(0, 2)\n",
    title: 'permute with the wrong list of dimensions',
    match: 'RuntimeError: permute(sparse_coo): number of dimensions in the tensor input does not match ...',
    meaning: 'permute needs every dimension of the tensor exactly once, in the new order.',
    why: 'For (B, T, C) logits, permute(0, 2, 1) gives (B, C, T).',
    works: ['permute'],
    doesNotWork: [],
  },
  {
    id: 'dim-out-of-range',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nprobs = F.softmax(logits, dim=2)\n",
    title: 'A dimension number the tensor does not have',
    match: 'IndexError: Dimension out of range (expected to be in range of [-n, n-1], but got d)',
    meaning: 'Dimensions are numbered 0 … n−1 (or −n … −1 from the end) for a tensor of n dimensions.',
    why: 'The tensor has fewer dimensions than the code assumes, often because a batch dimension is missing.',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'index-out-of-bounds',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlast = logits[4]\n",
    title: 'An index past the end of a dimension',
    match: 'IndexError: index i is out of bounds for dimension d with size s',
    meaning: 'Indices run from 0 to size−1 (or −size to −1).',
    why: 'The tensor is smaller along that dimension than the code expects.',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'too-many-indices',
    title: 'More indices than the tensor has dimensions',
    match: 'IndexError: too many indices for tensor of dimension n',
    example: "import torch\n\nlabels = torch.randint(0, 10, (4,))\nfirst = labels[0, 1]\n",
    meaning: 'Each index or slice inside [...] addresses one dimension. The tensor has fewer dimensions than the ' +
      'subscript names.',
    why: 'The tensor is not the shape the code assumes: often labels of shape [N] indexed as if they were [N, C], ' +
      'or a single label (0-d) sliced as if it were a batch.',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'playground-limit',
    title: 'Something Logit Lab cannot run',
    match: 'NotImplementedError / MemoryError from Logit Lab itself',
    meaning: 'The program uses a construct the playground does not support yet, or needs more memory than its budget.',
    why: 'Logit Lab runs a subset of Python and PyTorch in your browser. Real PyTorch may accept this program.',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'python-error',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nprint(logits.shapes)\n",
    title: 'A Python error before any tensor math',
    match: 'NameError / AttributeError / TypeError / SyntaxError ...',
    meaning: 'Python stopped on the program itself: an unknown name, a misspelt attribute, wrong arguments.',
    why: 'Check the spelling and the arguments on the marked line.',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'other-error',
    title: 'PyTorch raised an error',
    match: 'any other exception',
    meaning: 'PyTorch stopped with the message shown.',
    why: 'Logit Lab has no specific explanation for this message yet.',
    works: [],
    doesNotWork: [],
  },
  // Programs that run but are probably wrong.
  {
    id: 'silent-truncation',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(384, 10)\nlabels = torch.randint(0, 10, (864,))\nkept = labels[:384]\nloss = F.cross_entropy(logits, kept)\nprint(loss)\n",
    title: 'Labels were cut to fit',
    match: 'runs: labels sliced to the logits\' batch size',
    meaning: 'Slicing the labels to the logits\' batch size makes the shapes agree, but the dropped labels never ' +
      'reach the loss and the kept ones are paired with logits by position only.',
    why: 'The mismatch came from somewhere (a different batch, a different sequence length, a flattening); cutting ' +
      'hides it. Unless row i of both really is the same example, the loss trains the model on wrong answers.',
    works: ['same-batch', 'flatten', 'pad-ignore-index'],
    doesNotWork: ['truncate', 'reshape-split'],
  },
  {
    id: 'silent-reshape-split',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(384, 10)\nlabels = torch.randint(0, 10, (768,))\nfirst = labels.reshape(2, 384)[0]\nloss = F.cross_entropy(logits, first)\nprint(loss)\n",
    title: 'Labels were reshaped into blocks and one block kept',
    match: 'runs: labels.reshape(k, N, ...)[0]',
    meaning: 'Reshaping the labels to (k, N, …) and taking block 0 keeps the first N rows and drops the rest.',
    why: 'If the rows were sequences laid end to end, block boundaries cut across examples.',
    works: ['same-batch', 'flatten'],
    doesNotWork: ['reshape-split'],
  },
  {
    id: 'view-not-permute',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(2, 5, 10)\nlabels = torch.randint(0, 10, (2, 5))\nwrong = logits.view(2, 10, 5)\nloss = F.cross_entropy(wrong, labels)\nprint(loss)\n",
    title: 'view used where permute was meant',
    match: 'runs: a view/reshape whose new shape is the old one in another order',
    meaning: 'view(B, C, T) of a (B, T, C) tensor has the right shape but not the right contents: view keeps the ' +
      'memory order, so each new row mixes values of different positions and classes.',
    why: 'Only permute (or transpose) moves an axis. PyTorch cannot notice, because every shape agrees.',
    works: ['permute', 'flatten'],
    doesNotWork: ['view-not-permute'],
  },
  {
    id: 'indices-as-probabilities',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.randint(0, 10, (4, 10)).float()\nloss = F.cross_entropy(logits, labels)\nprint(loss)\n",
    title: 'Class indices turned into floats and read as probabilities',
    match: 'runs: integer labels of the logits\' shape converted with .float()',
    meaning: 'Float labels of the logits\' shape are class probabilities. Class indices converted to float are not: ' +
      'a row like [3., 0., 7.] puts weight 3 on class 0 and 7 on class 2.',
    why: 'The dtype error was the symptom; the labels have the wrong meaning. The loss comes out huge or meaningless.',
    works: ['class-indices', 'probabilities'],
    doesNotWork: ['cast-to-float'],
  },
  {
    id: 'silent-broadcast',
    example: "import torch\nimport torch.nn.functional as F\n\npredictions = torch.randn(4, 1)\ntargets = torch.randn(4)\nerror = predictions - targets\nprint(error.shape)\n",
    title: 'Broadcasting made a bigger tensor than either operand',
    match: 'runs: an element-wise result larger than both inputs',
    meaning: 'Shapes like [N, 1] and [N] broadcast to [N, N]: every prediction is compared with every label.',
    why: 'Broadcasting is silent. Make both operands the same shape first (squeeze or unsqueeze).',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'implicit-softmax-dim',
    title: 'softmax without dim',
    match: 'runs, with the UserWarning: Implicit dimension choice for softmax has been deprecated. ...',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(2, 5, 10)\nprobs = F.softmax(logits)\nprint(probs.shape)\n",
    meaning: 'Without dim=, softmax guesses the axis: dimension 0 for tensors of 0, 1 or 3 dimensions, else ' +
      'dimension 1. For (batch, sequence, classes) logits it picks the batch.',
    why: 'Probabilities must sum to 1 over the classes. Normalising over another axis runs without error but ' +
      'mixes examples. Always pass dim= (usually dim=-1 for classes last, dim=1 for cross_entropy\'s layout).',
    works: [],
    doesNotWork: [],
  },
  {
    id: 'nan-loss',
    example: "import torch\nimport torch.nn.functional as F\n\nlogits = torch.randn(4, 10)\nlabels = torch.full((4,), -100)\nloss = F.cross_entropy(logits, labels)\nprint(loss)\n",
    title: 'The loss is nan',
    match: 'runs: the printed loss is nan',
    meaning: 'With reduction=\'mean\', a loss where every label equals ignore_index divides 0 by 0.',
    why: 'All targets were ignored (for example a batch of padding only), or a value overflowed.',
    works: ['pad-ignore-index'],
    doesNotWork: [],
  },
];

export const catalogEntry = (id) => CATALOG.find((e) => e.id === id) ?? null;
