#include "moderation/classifier.h"

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <streambuf>
#include <vector>

#include "moderation/text_normaliser.h"

namespace masthead::moderation {
namespace {

constexpr std::array<std::string_view, kLabelCount> kLabelNames = {
    "attack", "threat", "identity_hate", "profanity", "civil"};

// A shipped model is at most 5 MB; anything far larger is not ours and could
// make fastText allocate without bound while reading a corrupt header.
constexpr std::uintmax_t kMaxModelBytes = 64u << 20;

constexpr std::int32_t kFastTextMagic = 793712314;
constexpr std::int32_t kFastTextVersion = 12;

// Serves the file's bytes, then zeros for ever, noting that it had to. fastText
// reads words with get() until a zero byte and would spin on EOF, so a
// truncated file must meet zeros; `overran()` then says the file was short.
class ZeroPaddedBuffer : public std::streambuf {
 public:
  explicit ZeroPaddedBuffer(std::string& bytes) {
    setg(bytes.data(), bytes.data(), bytes.data() + bytes.size());
  }
  bool overran() const { return overran_; }

 protected:
  int_type underflow() override {
    overran_ = true;
    setg(zeros_, zeros_, zeros_ + sizeof(zeros_));
    return traits_type::to_int_type(zeros_[0]);
  }

 private:
  char zeros_[4096] = {};
  bool overran_ = false;
};

template <typename T>
T ReadAt(const std::string& bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

// Checks the fixed-layout header (fastText 0.9 format: magic, version, 12 int32
// args and a double, then the dictionary sizes) so that a corrupt file cannot
// make fastText loop or allocate without bound.
Status CheckHeader(const std::string& bytes, const std::string& path) {
  auto bad = [&](const std::string& why) {
    return MakeError(ErrorCode::kInvalidArgument, "model " + path + ": " + why, "model");
  };
  if (bytes.size() < 92) return bad("too short to be a fastText model");
  if (ReadAt<std::int32_t>(bytes, 0) != kFastTextMagic) return bad("not a fastText model");
  if (ReadAt<std::int32_t>(bytes, 4) != kFastTextVersion) return bad("unsupported version");
  const auto dim = ReadAt<std::int32_t>(bytes, 8);
  const auto bucket = ReadAt<std::int32_t>(bytes, 40);
  const auto words = ReadAt<std::int32_t>(bytes, 64);
  const auto labels = ReadAt<std::int32_t>(bytes, 72);
  const auto pruned = ReadAt<std::int64_t>(bytes, 84);
  if (dim <= 0 || dim > 1024 || bucket < 0 || bucket > 50'000'000 || words <= 0 ||
      words > 5'000'000 || labels <= 0 || labels > 1000 || pruned < -1 || pruned > 50'000'000) {
    return bad("implausible sizes in the header");
  }
  return Ok();
}

}  // namespace

std::string_view LabelName(Label label) { return kLabelNames[static_cast<int>(label)]; }

Label Scores::StrongestBullying() const {
  Label best = Label::kAttack;
  for (Label l : {Label::kThreat, Label::kIdentityHate}) {
    if (of(l) > of(best)) best = l;
  }
  return best;
}

Classifier::Classifier() : model_(std::make_unique<fasttext::FastText>()) {}
Classifier::~Classifier() = default;

Result<std::unique_ptr<Classifier>> Classifier::Load(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return MakeError(ErrorCode::kNotFound, "cannot read model " + path, "model");
  if (size > kMaxModelBytes) {
    return MakeError(ErrorCode::kInvalidArgument, "model " + path + " is implausibly large",
                     "model");
  }
  std::ifstream file(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (!file.good() && !file.eof()) {
    return MakeError(ErrorCode::kNotFound, "cannot read model " + path, "model");
  }
  MASTHEAD_RETURN_IF_ERROR(CheckHeader(bytes, path));
  std::unique_ptr<Classifier> classifier(new Classifier());
  ZeroPaddedBuffer buffer(bytes);
  std::istream in(&buffer);
  in.ignore(8);  // magic and version, checked above
  // fastText reports bad files with exceptions; they stop here.
  try {
    classifier->model_->loadModel(in);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "model " + path + " is not a fastText model: " + e.what(), "model");
  }
  if (buffer.overran() || !in.good()) {
    return MakeError(ErrorCode::kInvalidArgument, "model " + path + " is truncated", "model");
  }
  const auto dict = classifier->model_->getDictionary();
  for (int l = 0; l < kLabelCount; ++l) {
    int found = -1;
    for (int i = 0; i < dict->nlabels(); ++i) {
      if (dict->getLabel(i) == "__label__" + std::string(kLabelNames[l])) found = i;
    }
    if (found < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "model " + path + " lacks label " + std::string(kLabelNames[l]), "model");
    }
    classifier->model_index_[l] = found;
  }
  classifier->BuildFastPath();
  return classifier;
}

namespace {

// fastText's word hash (FNV-1a over signed bytes), as in Dictionary::hash.
std::uint32_t FastTextHash(std::string_view word) {
  std::uint32_t h = 2166136261u;
  for (char c : word) {
    h ^= static_cast<std::uint32_t>(static_cast<std::int8_t>(c));
    h *= 16777619u;
  }
  return h;
}

// A run of kRepeatCap equal letters, which ClassifierForm would cut.
bool HasLongRun(std::string_view token) {
  for (std::size_t i = 2; i < token.size(); ++i) {
    if (token[i] == token[i - 1] && token[i] == token[i - 2] && token[i] >= 'a' &&
        token[i] <= 'z') {
      return true;
    }
  }
  return false;
}

void Softmax(std::array<float, kLabelCount>& logits) {
  float max = logits[0];
  for (float v : logits) max = std::max(max, v);
  float total = 0;
  for (float& v : logits) total += (v = std::exp(v - max));
  for (float& v : logits) v /= total;
}

}  // namespace

// The fast path serves unpruned models without character n-grams (what
// tools/train_classifier/ trains); it reproduces Dictionary::getLine and
// Model::predict exactly, minus the stream and the per-row decoding.
void Classifier::BuildFastPath() {
  const fasttext::Args args = model_->getArgs();
  const auto dict = model_->getDictionary();
  // isPruned() is a getter that fastText did not mark const.
  if (args.maxn > 0 || const_cast<fasttext::Dictionary&>(*dict).isPruned() ||
      args.model != fasttext::model_name::sup || args.loss != fasttext::loss_name::softmax) {
    return;
  }
  std::shared_ptr<const fasttext::DenseMatrix> output;
  try {
    output = model_->getOutputMatrix();
  } catch (const std::exception&) {
    return;  // quantised output matrix: use fastText itself
  }
  if (!output) return;
  nwords_ = dict->nwords();
  bucket_ = static_cast<std::int32_t>(args.bucket);
  word_ngrams_ = args.wordNgrams;
  const std::int64_t rows = static_cast<std::int64_t>(nwords_) + bucket_;
  projection_.assign(rows * kLabelCount, 0.0f);
  fasttext::Vector row(args.dim);
  for (std::int64_t r = 0; r < rows; ++r) {
    model_->getInputVector(row, static_cast<std::int32_t>(r));
    for (int l = 0; l < kLabelCount; ++l) {
      float dot = 0;
      for (int d = 0; d < args.dim; ++d) dot += row[d] * output->at(model_index_[l], d);
      projection_[r * kLabelCount + l] = dot;
    }
  }
  words_.reserve(nwords_);
  std::size_t slots = 1;
  while (slots < static_cast<std::size_t>(nwords_) * 2) slots <<= 1;
  slots_.assign(slots, Slot{0, -1});
  for (std::int32_t id = 0; id < nwords_; ++id) {
    words_.push_back(dict->getWord(id));
    const std::uint32_t hash = FastTextHash(words_.back());
    std::size_t slot = hash & (slots - 1);
    while (slots_[slot].id >= 0) slot = (slot + 1) & (slots - 1);
    slots_[slot] = Slot{hash, id};
  }
  eos_id_ = FindWord(fasttext::Dictionary::EOS, FastTextHash(fasttext::Dictionary::EOS));
  fast_ = true;
}

int Classifier::FindWord(std::string_view word, std::uint32_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const Slot& s = slots_[slot];
    if (s.id < 0) return -1;
    if (s.hash == hash && words_[s.id] == word) return s.id;
  }
}

Scores Classifier::Classify(std::string_view normalised) const {
  if (!fast_) return ClassifyWithFastText(normalised);
  Scores scores;
  if (normalised.find_first_not_of(' ') == std::string_view::npos) {
    scores.probability[static_cast<int>(Label::kCivil)] = 1.0f;
    return scores;
  }
  std::array<float, kLabelCount> logits{};
  std::int64_t rows = 0;
  auto add_row = [&](std::int64_t row) {
    const float* p = &projection_[row * kLabelCount];
    for (int l = 0; l < kLabelCount; ++l) logits[l] += p[l];
    ++rows;
  };
  // Tokens as fastText reads them: split on spaces, then the end-of-line token.
  // int32 like fastText's word_hashes: the n-gram hash widens them with sign
  // extension, and so must we to land in the same buckets.
  std::vector<std::int32_t> hashes;
  hashes.reserve(normalised.size() / 3 + 2);
  std::string cut;  // a token with an exaggerated run, in ClassifierForm
  std::size_t start = 0;
  while (start <= normalised.size()) {
    std::size_t end = normalised.find(' ', start);
    if (end == std::string_view::npos) end = normalised.size();
    if (end > start) {
      std::string_view token = normalised.substr(start, end - start);
      if (HasLongRun(token)) {
        cut = ClassifierForm(token);
        token = cut;
      }
      const std::uint32_t h = FastTextHash(token);
      if (const int id = FindWord(token, h); id >= 0) add_row(id);
      hashes.push_back(static_cast<std::int32_t>(h));
    }
    start = end + 1;
  }
  if (eos_id_ >= 0) add_row(eos_id_);
  hashes.push_back(static_cast<std::int32_t>(FastTextHash(fasttext::Dictionary::EOS)));
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    std::uint64_t h = static_cast<std::uint64_t>(static_cast<std::int64_t>(hashes[i]));
    for (std::size_t j = i + 1; j < hashes.size() && j < i + word_ngrams_; ++j) {
      h = h * 116049371 + static_cast<std::uint64_t>(static_cast<std::int64_t>(hashes[j]));
      add_row(nwords_ + static_cast<std::int64_t>(h % static_cast<std::uint64_t>(bucket_)));
    }
  }
  if (rows == 0) {
    scores.probability[static_cast<int>(Label::kCivil)] = 1.0f;
    return scores;
  }
  for (float& v : logits) v /= static_cast<float>(rows);
  Softmax(logits);
  scores.probability = logits;
  return scores;
}

Scores Classifier::ClassifyWithFastText(std::string_view normalised) const {
  // fastText tokenises from a stream, exactly as at training time (the training
  // tool feeds it the same normalised text), ending the line with EOS.
  Scores scores;
  if (normalised.find_first_not_of(' ') == std::string_view::npos) {
    scores.probability[static_cast<int>(Label::kCivil)] = 1.0f;
    return scores;
  }
  std::string line = ClassifierForm(normalised);
  line.push_back('\n');
  std::istringstream in(std::move(line));
  std::vector<std::int32_t> words;
  std::vector<std::int32_t> labels;
  const auto dict = model_->getDictionary();
  dict->getLine(in, words, labels);
  fasttext::Predictions predictions;
  model_->predict(dict->nlabels(), words, predictions, 0.0f);
  for (const auto& [log_probability, id] : predictions) {
    for (int l = 0; l < kLabelCount; ++l) {
      if (model_index_[l] == id) scores.probability[l] = std::exp(log_probability);
    }
  }
  return scores;
}

}  // namespace masthead::moderation
