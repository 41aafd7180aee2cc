// Random input thrown at every LicenseService RPC (issue 6): a fixed number
// of calls, their requests drawn from one seed, against real ka-mock and
// license-server processes on the backend this executable was built for.
//
// Each call's request is one of:
//  - a well-formed message of the method's request type, every field drawn
//    at random through protobuf reflection (so methods and fields added
//    later are covered without a change here): ids 0, negative, huge or of
//    existing licenses; strings empty, very long, unicode, with NUL, or
//    real key numbers, classes, features, job and upgrade ids and page
//    tokens (issued ones and forged ones); enums defined and undefined;
//    repeated fields empty to over their limits;
//  - raw bytes: random, a well-formed request mutated, valid wire format
//    with a string that is not UTF-8 or groups nested too deep, another
//    method's request, no request message at all, or a body over the
//    server's maximum message size.
// Streams are read to the end, or cancelled after a few messages.
//
// Every answer must be a proper status: never INTERNAL, UNKNOWN or
// DATA_LOSS; every error our server produced carries an ErrorInfo reason
// (domain licensing.v1); every INVALID_ARGUMENT a BadRequest whose fields
// are fields of the request; bytes that do not parse are INVALID_ARGUMENT
// MALFORMED_REQUEST; a body over the maximum is RESOURCE_EXHAUSTED. At the
// end the server is still up and answers.
//
// The seed is printed; LSS_FUZZ_SEED=<seed> runs the same requests again
// (the server's state still depends on how the calls interleave).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/timestamp.pb.h"
#include "licensing/v1/license_service.grpc.pb.h"
#include "tests/harness/harness.h"
#include "tests/integration/integration_stack.h"
#include "tests/integration/raw_call.h"

namespace lss::fuzz_test {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using harness::LicenseServerProcess;
using licensing::v1::LicenseService;
using raw_call::DetailsOf;
using raw_call::ErrorDetails;
using raw_call::RawOptions;
using raw_call::RawResult;

constexpr int kCalls = 4000;
constexpr int kThreads = 4;
constexpr uint64_t kDefaultSeed = 20261128;
constexpr int kSeedKeys = 40;
// license-server's --max_message_bytes default; the test passes it
// explicitly so that the two agree.
constexpr int kMaxMessageBytes = 4 * 1024 * 1024;
// Bodies over the maximum cost megabytes each: a few are enough.
constexpr int kOversizedEvery = 800;
constexpr absl::Duration kUnaryDeadline = absl::Seconds(15);
constexpr absl::Duration kStreamDeadline = absl::Seconds(4);
constexpr char kService[] = "licensing.v1.LicenseService";

// Statuses gRPC produces itself, for which no handler or interceptor of
// ours is asked, and which therefore carry no ErrorInfo; the only ones
// exempt from the ErrorInfo rule:
//  - DEADLINE_EXCEEDED on a stream: our own short client deadline ran out
//    (a unary call is given a generous one: running into it is a hang, and
//    a failure);
//  - CANCELLED on a stream that we cancelled after a few messages.
// RESOURCE_EXHAUSTED for a body over --max_message_bytes is gRPC's too; it
// is checked on its own (required exactly for oversized bodies).
bool IsGrpcsOwn(grpc::StatusCode code, bool server_streaming, bool we_cancelled) {
  if (!server_streaming) return false;
  return code == grpc::StatusCode::DEADLINE_EXCEEDED || (code == grpc::StatusCode::CANCELLED && we_cancelled);
}

// FNV-1a as server/paging/paging.cc binds page tokens to a filter: enough
// to forge tokens that pass the filter check and carry any cursor.
uint64_t Fnv1a(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string ForgedToken(int64_t cursor, const std::string& fingerprint) {
  return absl::WebSafeBase64Escape(absl::StrCat("p1:", cursor, ":", absl::Hex(Fnv1a(fingerprint))));
}

// What the setup learnt about the server's data, for requests that reach
// past validation.
struct Pools {
  std::vector<int64_t> license_ids;           // never terminated by the fuzz
  std::vector<int64_t> terminable_ids;        // the only ones TerminateLicense may name
  std::vector<std::string> key_numbers;       // with revision, of license_ids
  std::vector<std::string> terminable_key_numbers;
  std::vector<std::string> classes;
  std::vector<std::string> features;
  std::vector<int64_t> capacities;
  std::vector<std::string> job_ids;
  // Upgrade sessions started by the setup, with what each offers, so that
  // some ConfigureUpgrade calls are valid and the later steps run too.
  struct Session {
    std::string upgrade_id;
    std::vector<int64_t> capacity_steps;
    std::vector<std::string> features;
  };
  std::vector<Session> sessions;
  std::vector<std::string> upgrade_ids;       // of `sessions`: never cancelled by the fuzz (placed, maybe)
  std::vector<std::string> cancellable_upgrade_ids;  // the only ones CancelUpgrade may name
  std::vector<std::string> page_tokens;       // issued by the server
  std::vector<std::string> fingerprints;      // for forged tokens
  int64_t max_license_id = 0;
};

struct MethodInfo {
  std::string name;       // "GetLicense"
  std::string full_name;  // "/licensing.v1.LicenseService/GetLicense"
  bool server_streaming = false;
  const Descriptor* request = nullptr;
  std::set<std::string> field_paths;  // "filter.license_class", "key_numbers", ...
};

void CollectPaths(const Descriptor* descriptor, const std::string& prefix, int depth, std::set<std::string>& out) {
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const std::string path = prefix + field->name();
    out.insert(path);
    if (field->message_type() != nullptr && depth < 4) CollectPaths(field->message_type(), path + ".", depth + 1, out);
  }
}

std::vector<MethodInfo> Methods() {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(kService);
  std::vector<MethodInfo> methods;
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    MethodInfo info;
    info.name = method->name();
    info.full_name = absl::StrCat("/", kService, "/", method->name());
    info.server_streaming = method->server_streaming();
    info.request = method->input_type();
    CollectPaths(info.request, "", 0, info.field_paths);
    methods.push_back(std::move(info));
  }
  return methods;
}

// "key_numbers[3]" -> "key_numbers", "filter.features[0].x" -> "filter.features.x".
std::string WithoutIndices(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '[') {
      const size_t close = field.find(']', i);
      if (close == std::string::npos) return field;  // not a path: kept, and refused
      i = close;
      continue;
    }
    out += field[i];
  }
  return out;
}

std::unique_ptr<Message> NewMessage(const Descriptor* descriptor) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
}

enum class Shape {
  kWellFormed,
  kRandomBytes,
  kMutated,
  kNotUtf8,
  kDeepGroups,
  kOtherMethodsRequest,
  kNoMessage,
  kOversized
};

const char* ShapeName(Shape shape) {
  switch (shape) {
    case Shape::kWellFormed: return "well-formed";
    case Shape::kRandomBytes: return "random bytes";
    case Shape::kMutated: return "mutated";
    case Shape::kNotUtf8: return "not UTF-8";
    case Shape::kDeepGroups: return "deep groups";
    case Shape::kNoMessage: return "no message";
    case Shape::kOtherMethodsRequest: return "other method's request";
    case Shape::kOversized: return "oversized";
  }
  return "?";
}

struct FuzzCall {
  const MethodInfo* method = nullptr;
  Shape shape = Shape::kWellFormed;
  std::string body;
  std::string text;  // a readable form for failure messages
  int read_limit = 0;
};

// Draws one call's request from its own seed, so that the calls can be made
// by several threads in any order and still be the same calls.
class Generator {
 public:
  Generator(const Pools& pools, const std::vector<MethodInfo>& methods, uint64_t seed)
      : pools_(pools), methods_(methods), rng_(seed) {}

  FuzzCall Draw(int index) {
    FuzzCall call;
    call.method = &methods_[Uniform(0, methods_.size() - 1)];
    if (call.method->server_streaming) {
      // Half read to the end, half cancelled after one to three messages.
      call.read_limit = Chance(0.5) ? 0 : static_cast<int>(Uniform(1, 3));
    }
    if (index % kOversizedEvery == kOversizedEvery - 1) {
      call.shape = Shape::kOversized;
      call.body = RandomBytes(kMaxMessageBytes + 1 + Uniform(0, 4096));
      call.text = absl::StrCat(call.body.size(), " random bytes");
      return call;
    }
    const double shape = Unit();
    if (shape < 0.80) {
      call.shape = Shape::kWellFormed;
      std::unique_ptr<Message> request = NewMessage(call.method->request);
      method_name_ = call.method->name;
      if (call.method->name == "ConfigureUpgrade" && Chance(0.4)) {
        Plausible(static_cast<licensing::v1::ConfigureUpgradeRequest&>(*request));
      } else {
        Fill(*request, 0);
      }
      call.body = request->SerializeAsString();
      call.text = request->ShortDebugString();
    } else if (shape < 0.86) {
      call.shape = Shape::kRandomBytes;
      call.body = RandomBytes(Chance(0.2) ? Uniform(0, 8) : Uniform(0, 2000));
    } else if (shape < 0.93) {
      call.shape = Shape::kMutated;
      std::unique_ptr<Message> request = NewMessage(call.method->request);
      method_name_ = call.method->name;
      Fill(*request, 0);
      call.body = Mutate(request->SerializeAsString());
    } else if (shape < 0.96) {
      call.shape = Shape::kNotUtf8;
      call.body = NotUtf8(call.method->request);
    } else if (shape < 0.97) {
      // Unknown fields nested as groups deeper than protobuf's recursion
      // limit (100): valid wire format that no parser accepts.
      call.shape = Shape::kDeepGroups;
      const size_t depth = Uniform(101, 5000);
      for (size_t i = 0; i < depth; ++i) call.body += '\x7b';  // field 15, start group
      for (size_t i = 0; i < depth; ++i) call.body += '\x7c';  // field 15, end group
    } else if (shape < 0.98) {
      call.shape = Shape::kNoMessage;  // the body stays empty and is not sent
      call.text = "(no request message: the call half-closes at once)";
    } else {
      call.shape = Shape::kOtherMethodsRequest;
      const MethodInfo& other = methods_[Uniform(0, methods_.size() - 1)];
      std::unique_ptr<Message> request = NewMessage(other.request);
      method_name_ = other.name;
      Fill(*request, 0);
      call.body = request->SerializeAsString();
    }
    if (call.text.empty()) {
      call.text = absl::StrCat(call.body.size(), " bytes: ",
                               absl::BytesToHexString(call.body.substr(0, 48)), call.body.size() > 48 ? "..." : "");
    }
    return call;
  }

 private:
  uint64_t Uniform(uint64_t lo, uint64_t hi) { return std::uniform_int_distribution<uint64_t>(lo, hi)(rng_); }
  double Unit() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  bool Chance(double p) { return Unit() < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Uniform(0, items.size() - 1)];
  }

  // A configuration the session may well accept: a step at or above its
  // capacity (or 0) and some of the features it offers.
  void Plausible(licensing::v1::ConfigureUpgradeRequest& request) {
    const Pools::Session& session = Pick(pools_.sessions);
    request.set_upgrade_id(session.upgrade_id);
    if (!session.capacity_steps.empty() && Chance(0.6)) request.set_capacity(Pick(session.capacity_steps));
    for (const std::string& feature : session.features) {
      if (Chance(0.3)) request.add_add_features(feature);
    }
  }

  std::string RandomBytes(size_t n) {
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(Uniform(0, 255));
    return out;
  }

  // Bit flips, truncation, insertions, duplication of a serialized request.
  std::string Mutate(std::string bytes) {
    const int edits = static_cast<int>(Uniform(1, 4));
    for (int i = 0; i < edits; ++i) {
      switch (Uniform(0, 4)) {
        case 0:
          if (!bytes.empty()) bytes[Uniform(0, bytes.size() - 1)] ^= static_cast<char>(1 << Uniform(0, 7));
          break;
        case 1:
          if (!bytes.empty()) bytes.resize(Uniform(0, bytes.size() - 1));
          break;
        case 2:
          bytes.insert(Uniform(0, bytes.size()), RandomBytes(Uniform(1, 16)));
          break;
        case 3:
          bytes += bytes;
          break;
        default:
          if (!bytes.empty()) bytes[Uniform(0, bytes.size() - 1)] = static_cast<char>(Uniform(0, 255));
          break;
      }
    }
    return bytes;
  }

  // Valid wire format whose one string field holds bytes that are not
  // UTF-8, which proto3 refuses to parse. Falls back to random bytes for a
  // request without a top-level string field.
  std::string NotUtf8(const Descriptor* request) {
    std::vector<const FieldDescriptor*> strings;
    for (int i = 0; i < request->field_count(); ++i) {
      if (request->field(i)->type() == FieldDescriptor::TYPE_STRING) strings.push_back(request->field(i));
    }
    if (strings.empty()) return RandomBytes(Uniform(1, 64));
    const FieldDescriptor* field = Pick(strings);
    static const std::vector<std::string> kInvalid = {"\xff", "\xc3\x28", "PLSK.\xe2\x82", "\xed\xa0\x80",
                                                      "\xf8\x88\x80\x80\x80", std::string("ok\0\xfe", 4)};
    const std::string value = Pick(kInvalid);
    std::string out;
    uint64_t tag = (static_cast<uint64_t>(field->number()) << 3) | 2;
    while (tag >= 0x80) {
      out += static_cast<char>((tag & 0x7f) | 0x80);
      tag >>= 7;
    }
    out += static_cast<char>(tag);
    out += static_cast<char>(value.size());
    out += value;
    return out;
  }

  std::string RandomString(bool allow_huge) {
    static const std::vector<std::string> kNasty = {
        "' OR 1=1 --", "%", "_", "!", "\\", "%_!\\", "NULL", "\"quoted\"", "../../etc/passwd", " ", "\t\n",
        "PLSK.", "PLSK.0000", "job-", "upg-", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x91",  // é€🔑
        "\xe2\x80\xae" "rtl", "a\xcc\x81"};                                             // U+202E, a + combining acute
    switch (Uniform(0, 11)) {
      case 0:
      case 1: return "";
      case 2: return Pick(kNasty);
      case 3: {  // printable ASCII
        std::string s(Uniform(1, 40), ' ');
        for (char& c : s) c = static_cast<char>(Uniform(0x20, 0x7e));
        return s;
      }
      case 4: {  // with NUL and control characters
        std::string s(Uniform(1, 30), '\0');
        for (char& c : s) c = static_cast<char>(Uniform(0, 0x1f));
        return s;
      }
      case 5: {  // unicode: 2-, 3- and 4-byte characters
        std::string s;
        const int n = static_cast<int>(Uniform(1, 30));
        for (int i = 0; i < n; ++i) s += Pick(std::vector<std::string>{"\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80",
                                                                      "\xd0\x96", "\xe2\x80\x8b", "A"});
        return s;
      }
      case 6: return std::string(Uniform(65, 300), 'A');  // just over the usual limits
      // Long and very long; an element of a repeated field stays short, so
      // that a request of many elements stays a request, not megabytes.
      case 7: return std::string(allow_huge ? Uniform(1000, 20000) : Uniform(100, 300), Chance(0.5) ? 'x' : '9');
      case 8: return std::string(allow_huge ? Uniform(100'000, 1'000'000) : Uniform(256, 400), 'Z');
      case 9: return absl::StrCat(static_cast<int64_t>(Uniform(0, std::numeric_limits<int64_t>::max())));
      default: {  // letters, digits, dots and dashes: almost an identifier
        static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
        std::string s(Uniform(1, 24), 'A');
        for (char& c : s) c = kChars[Uniform(0, sizeof(kChars) - 2)];
        return s;
      }
    }
  }

  std::string KeyNumber(bool allow_huge) {
    // TerminateLicense names only the licenses set aside for it.
    const std::vector<std::string>& known =
        method_name_ == "TerminateLicense" ? pools_.terminable_key_numbers : pools_.key_numbers;
    switch (Uniform(0, 5)) {
      case 0:
      case 1: return Pick(known);
      case 2: return Pick(known).substr(0, 13);  // without the revision
      case 3: return absl::StrFormat("PLSK.%08d.%04d", Uniform(0, 99'999'999), Uniform(0, 9999));  // unknown
      case 4: return absl::StrFormat("%s.%08d", Pick(std::vector<std::string>{"KAV", "VZ", "ABCDEFGH", "X"}),
                                     Uniform(0, 99'999'999));
      default: return RandomString(allow_huge);
    }
  }

  std::string PageToken() {
    switch (Uniform(0, 4)) {
      case 0: return pools_.page_tokens.empty() ? "" : Pick(pools_.page_tokens);
      case 1: {
        static const std::vector<int64_t> kCursors = {0, 1, 2, 19700101, 20261128, 99991231, 99999999,
                                                      std::numeric_limits<int64_t>::max()};
        const int64_t cursor = Chance(0.5) ? Pick(kCursors) : static_cast<int64_t>(Uniform(0, 1ULL << 62));
        return ForgedToken(cursor, Pick(pools_.fingerprints));
      }
      case 2: return absl::WebSafeBase64Escape(RandomString(false));
      default: return RandomString(true);
    }
  }

  std::string StringFor(const FieldDescriptor* field, bool repeated_element) {
    const std::string& name = field->name();
    const bool allow_huge = !repeated_element;
    if (Chance(0.3)) return RandomString(allow_huge);
    if (name == "key_number" || name == "key_numbers") return KeyNumber(allow_huge);
    if (name == "key_number_prefix") {
      return Pick(std::vector<std::string>{"PLSK.", "PLSK.0000", "KAV.", "P", "%", "_", "!", "PLSK.%", ""});
    }
    if (name == "license_class") return Pick(pools_.classes);
    if (name == "features" || name == "add_features") return Pick(pools_.features);
    if (name == "job_id") return Chance(0.8) ? Pick(pools_.job_ids) : "job-0123456789abcdef";
    if (name == "upgrade_id") {
      return method_name_ == "CancelUpgrade" ? Pick(pools_.cancellable_upgrade_ids) : Pick(pools_.upgrade_ids);
    }
    if (name == "page_token") return PageToken();
    if (name == "request_id") return absl::StrFormat("req-%016x", Uniform(0, std::numeric_limits<uint64_t>::max()));
    if (name == "actor") return Pick(std::vector<std::string>{"operator", "admin", "anonymous", "daily"});
    return RandomString(allow_huge);
  }

  int64_t IntFor(const FieldDescriptor* field) {
    static const std::vector<int64_t> kEdges = {0,
                                                1,
                                                -1,
                                                2,
                                                std::numeric_limits<int32_t>::max(),
                                                std::numeric_limits<int32_t>::min(),
                                                std::numeric_limits<int64_t>::max(),
                                                std::numeric_limits<int64_t>::min()};
    const std::string& name = field->name();
    const double p = Unit();
    if (name == "page_size") {
      static const std::vector<int64_t> kSizes = {0, 1, 2, 5, 100, 999, 1000, 1001, 5000, -1, -1000};
      return p < 0.7 ? Pick(kSizes) : Pick(kEdges);
    }
    if (name == "license_id") {
      if (p < 0.5) return method_name_ == "TerminateLicense" ? Pick(pools_.terminable_ids) : Pick(pools_.license_ids);
      if (method_name_ == "TerminateLicense") return -static_cast<int64_t>(Uniform(0, 5));  // never a real one
      if (p < 0.6) return pools_.max_license_id + static_cast<int64_t>(Uniform(1, 1000));
      return Pick(kEdges);
    }
    if (name == "capacity") {
      if (p < 0.5) return Pick(pools_.capacities);
      if (p < 0.6) return Pick(pools_.capacities) + static_cast<int64_t>(Uniform(1, 7));
      return Pick(kEdges);
    }
    if (p < 0.6) return Pick(kEdges);
    return static_cast<int64_t>(Uniform(0, std::numeric_limits<uint64_t>::max()));
  }

  void FillTimestamp(Message& message) {
    auto& timestamp = static_cast<google::protobuf::Timestamp&>(message);
    static const std::vector<int64_t> kSeconds = {0,
                                                  1,
                                                  -1,
                                                  -62135596800,   // 0001-01-01
                                                  -62135596801,   // the second before
                                                  253402300799,   // 9999-12-31T23:59:59
                                                  253402300800,   // the second after
                                                  1795000000,     // 2026
                                                  std::numeric_limits<int64_t>::max(),
                                                  std::numeric_limits<int64_t>::min()};
    timestamp.set_seconds(Chance(0.7) ? Pick(kSeconds)
                                      : static_cast<int64_t>(Uniform(0, std::numeric_limits<uint64_t>::max())));
    static const std::vector<int32_t> kNanos = {0, 1, 999'999'999, 1'000'000'000, -1,
                                                std::numeric_limits<int32_t>::max(),
                                                std::numeric_limits<int32_t>::min()};
    timestamp.set_nanos(Chance(0.6) ? 0 : Pick(kNanos));
  }

  size_t RepeatedCount(const FieldDescriptor* field) {
    const double p = Unit();
    if (p < 0.2) return 0;
    if (p < 0.8) return Uniform(1, 5);
    if (p < 0.95) return Uniform(6, 30);
    // Over the limits: 100 features, 10,000 key numbers per call.
    if (field->name() == "key_numbers") return Chance(0.5) ? 10'001 : 300;
    return Chance(0.5) ? 101 : 250;
  }

  void SetOne(Message& message, const FieldDescriptor* field, int depth) {
    const Reflection* reflection = message.GetReflection();
    const bool repeated = field->is_repeated();
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        if (repeated) reflection->AddInt32(&message, field, static_cast<int32_t>(IntFor(field)));
        else reflection->SetInt32(&message, field, static_cast<int32_t>(IntFor(field)));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        if (repeated) reflection->AddInt64(&message, field, IntFor(field));
        else reflection->SetInt64(&message, field, IntFor(field));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        if (repeated) reflection->AddUInt32(&message, field, static_cast<uint32_t>(IntFor(field)));
        else reflection->SetUInt32(&message, field, static_cast<uint32_t>(IntFor(field)));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        if (repeated) reflection->AddUInt64(&message, field, static_cast<uint64_t>(IntFor(field)));
        else reflection->SetUInt64(&message, field, static_cast<uint64_t>(IntFor(field)));
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT: {
        static const std::vector<double> kValues = {0, -1, 1e300, -1e300, std::numeric_limits<double>::quiet_NaN(),
                                                    std::numeric_limits<double>::infinity()};
        const double value = Pick(kValues);
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
          if (repeated) reflection->AddFloat(&message, field, static_cast<float>(value));
          else reflection->SetFloat(&message, field, static_cast<float>(value));
        } else {
          if (repeated) reflection->AddDouble(&message, field, value);
          else reflection->SetDouble(&message, field, value);
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        if (repeated) reflection->AddBool(&message, field, Chance(0.5));
        else reflection->SetBool(&message, field, Chance(0.5));
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const google::protobuf::EnumDescriptor* type = field->enum_type();
        int value = 0;
        if (Chance(0.75)) {
          value = type->value(static_cast<int>(Uniform(0, type->value_count() - 1)))->number();
        } else {
          static const std::vector<int> kUndefined = {-1, 99, 1000, std::numeric_limits<int32_t>::max(),
                                                      std::numeric_limits<int32_t>::min()};
          value = Pick(kUndefined);
        }
        if (repeated) reflection->AddEnumValue(&message, field, value);
        else reflection->SetEnumValue(&message, field, value);
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string value = field->type() == FieldDescriptor::TYPE_BYTES ? RandomBytes(Uniform(0, 64))
                                                                         : StringFor(field, repeated);
        if (repeated) reflection->AddString(&message, field, std::move(value));
        else reflection->SetString(&message, field, std::move(value));
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message* child =
            repeated ? reflection->AddMessage(&message, field) : reflection->MutableMessage(&message, field);
        if (field->message_type()->full_name() == "google.protobuf.Timestamp") {
          FillTimestamp(*child);
        } else if (depth < 3) {
          Fill(*child, depth + 1);
        }
        break;
      }
    }
  }

  void Fill(Message& message, int depth) {
    const Descriptor* descriptor = message.GetDescriptor();
    // A oneof: usually one member, sometimes none.
    for (int i = 0; i < descriptor->oneof_decl_count(); ++i) {
      const google::protobuf::OneofDescriptor* oneof = descriptor->oneof_decl(i);
      if (Chance(0.9)) SetOne(message, oneof->field(static_cast<int>(Uniform(0, oneof->field_count() - 1))), depth);
    }
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (field->containing_oneof() != nullptr) continue;
      if (field->is_repeated()) {
        const size_t n = RepeatedCount(field);
        for (size_t j = 0; j < n; ++j) SetOne(message, field, depth);
      } else if (Chance(0.65)) {
        SetOne(message, field, depth);
      }
    }
  }

  const Pools& pools_;
  const std::vector<MethodInfo>& methods_;
  std::mt19937_64 rng_;
  std::string method_name_;  // the method whose request is being filled
};

// Parses as the server would: whether the request reaches a handler at all.
bool Parses(const Descriptor* request, const std::string& body) {
  return NewMessage(request)->ParseFromString(body);
}

// Everything wrong with one answer; empty when it is a proper status.
std::vector<std::string> ProblemsOf(const FuzzCall& call, const RawResult& result) {
  std::vector<std::string> problems;
  const grpc::Status& status = result.status;
  const grpc::StatusCode code = status.error_code();
  if (code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN ||
      code == grpc::StatusCode::DATA_LOSS) {
    problems.push_back("an improper code");
  }
  if (call.body.size() > static_cast<size_t>(kMaxMessageBytes)) {
    if (code != grpc::StatusCode::RESOURCE_EXHAUSTED) {
      problems.push_back("a body over the maximum is not RESOURCE_EXHAUSTED");
    }
    return problems;
  }
  if (code == grpc::StatusCode::RESOURCE_EXHAUSTED && status.error_details().empty()) {
    problems.push_back("RESOURCE_EXHAUSTED from gRPC for a body under the maximum");
  }
  // gRPC's default for a method without a handler, and what its callback
  // API answers to a request it cannot parse: neither may happen.
  if (code == grpc::StatusCode::UNIMPLEMENTED) {
    problems.push_back("UNIMPLEMENTED: a method of the service without a handler, or an unparsed request");
  }
  // No message at all parses as nothing: the server must say so.
  const bool parses = call.shape != Shape::kNoMessage && Parses(call.method->request, call.body);
  const ErrorDetails details = DetailsOf(status);
  const bool grpcs_own = IsGrpcsOwn(code, call.method->server_streaming, result.cancelled);
  if (code == grpc::StatusCode::DEADLINE_EXCEEDED && !call.method->server_streaming) {
    problems.push_back("a unary call did not finish within its deadline");
  }
  if (code == grpc::StatusCode::CANCELLED && !grpcs_own) problems.push_back("CANCELLED, and not by us");
  if (!parses && !grpcs_own) {
    if (code != grpc::StatusCode::INVALID_ARGUMENT || details.reason != "MALFORMED_REQUEST") {
      problems.push_back("a body that does not parse is not INVALID_ARGUMENT MALFORMED_REQUEST");
    }
  }
  if (parses && details.reason == "MALFORMED_REQUEST") problems.push_back("a body that parses is MALFORMED_REQUEST");
  if (status.ok() || grpcs_own) return problems;

  if (!details.parsed) {
    problems.push_back("no google.rpc.Status in the error details");
    return problems;
  }
  if (details.code != static_cast<int>(code)) problems.push_back("google.rpc.Status.code differs from the status");
  if (details.error_infos != 1 || details.reason.empty()) problems.push_back("not exactly one ErrorInfo with a reason");
  if (details.domain != "licensing.v1") problems.push_back("ErrorInfo.domain is not licensing.v1");
  if (code == grpc::StatusCode::INVALID_ARGUMENT) {
    if (details.fields.empty()) problems.push_back("INVALID_ARGUMENT without a BadRequest field violation");
    for (const std::string& field : details.fields) {
      const bool whole_request = field == "request" && details.reason == "MALFORMED_REQUEST";
      if (!whole_request && call.method->field_paths.count(WithoutIndices(field)) == 0) {
        problems.push_back(absl::StrCat("BadRequest names \"", field, "\", not a field of the request"));
      }
    }
  }
  return problems;
}

std::string Describe(const FuzzCall& call, const RawResult& result, int index) {
  const ErrorDetails details = DetailsOf(result.status);
  std::string text = call.text.size() > 400 ? absl::StrCat(call.text.substr(0, 400), "...") : call.text;
  return absl::StrCat("call #", index, " ", call.method->name, " (", ShapeName(call.shape), "): ", text,
                      "\n  -> code ", static_cast<int>(result.status.error_code()), " \"",
                      result.status.error_message().substr(0, 300), "\" reason \"", details.reason, "\" fields [",
                      absl::StrJoin(details.fields, ", "), "]");
}

uint64_t SeedFromEnvironment() {
  const char* text = std::getenv("LSS_FUZZ_SEED");
  if (text == nullptr || *text == '\0') return kDefaultSeed;
  return std::strtoull(text, nullptr, 0);
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return context;
}

class FuzzTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<IntegrationStack>> stack = IntegrationStack::Start("fuzz", kSeedKeys);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    harness::LicenseServerOptions options = stack_->server_options();
    options.extra_args = {absl::StrCat("--price_catalogue=", LSS_SOURCE_DIR, "/tools/dev/price-catalogue.txt"),
                          absl::StrCat("--max_message_bytes=", kMaxMessageBytes), "--progress_interval=100ms",
                          "--sync_poll_interval=100ms"};
    absl::StatusOr<std::unique_ptr<LicenseServerProcess>> server = LicenseServerProcess::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    channel_ = server_->NewChannel();
    stub_ = LicenseService::NewStub(channel_);
  }

  // Imports the account and learns ids, key numbers, classes, features,
  // capacities, a job, upgrade sessions and page tokens.
  Pools LearnPools() {
    Pools pools;
    licensing::v1::ImportLicensesResponse imported;
    grpc::Status status = stub_->ImportLicenses(Context().get(), {}, &imported);
    EXPECT_TRUE(status.ok()) << status.error_message();

    licensing::v1::ListLicensesRequest list;
    list.set_page_size(1000);
    licensing::v1::ListLicensesResponse licenses;
    status = stub_->ListLicenses(Context().get(), list, &licenses);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::set<std::string> classes, features;
    for (const licensing::v1::License& license : licenses.licenses()) {
      // A few licenses may be terminated by the fuzz; the rest never are.
      if (pools.terminable_ids.size() < 4) {
        pools.terminable_ids.push_back(license.license_id());
        pools.terminable_key_numbers.push_back(license.key_number());
      } else {
        pools.license_ids.push_back(license.license_id());
        pools.key_numbers.push_back(license.key_number());
      }
      classes.insert(license.license_class());
      features.insert(license.features().begin(), license.features().end());
      pools.capacities.push_back(license.capacity());
      pools.max_license_id = std::max(pools.max_license_id, license.license_id());
    }
    // Upgrade sessions, and the features and capacity steps they offer.
    for (size_t i = 0; i < 16 && i < pools.license_ids.size(); ++i) {
      licensing::v1::StartUpgradeRequest start;
      start.set_license_id(pools.license_ids[i]);
      licensing::v1::StartUpgradeResponse started;
      status = stub_->StartUpgrade(Context().get(), start, &started);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) continue;
      const licensing::v1::Upgrade& upgrade = started.upgrade();
      if (pools.cancellable_upgrade_ids.size() < 4) {
        pools.cancellable_upgrade_ids.push_back(upgrade.upgrade_id());
        continue;
      }
      Pools::Session session;
      session.upgrade_id = upgrade.upgrade_id();
      session.capacity_steps.assign(upgrade.options().capacity_steps().begin(),
                                    upgrade.options().capacity_steps().end());
      for (const auto& offer : upgrade.options().features()) session.features.push_back(offer.api_name());
      features.insert(session.features.begin(), session.features.end());
      pools.capacities.insert(pools.capacities.end(), session.capacity_steps.begin(), session.capacity_steps.end());
      pools.upgrade_ids.push_back(session.upgrade_id);
      pools.sessions.push_back(std::move(session));
    }
    // A finished job.
    licensing::v1::SyncAllRequest sync_all;
    grpc::ClientContext sync_context;
    sync_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    std::unique_ptr<grpc::ClientReader<licensing::v1::SyncAllResponse>> stream =
        stub_->SyncAll(&sync_context, sync_all);
    licensing::v1::SyncAllResponse progress;
    while (stream->Read(&progress)) {
      if (pools.job_ids.empty() || pools.job_ids.back() != progress.progress().job_id()) {
        pools.job_ids.push_back(progress.progress().job_id());
      }
    }
    status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    // Issued page tokens of several lists.
    list.set_page_size(3);
    status = stub_->ListLicenses(Context().get(), list, &licenses);
    if (status.ok() && !licenses.next_page_token().empty()) pools.page_tokens.push_back(licenses.next_page_token());
    licensing::v1::ListUpgradesRequest upgrades_request;
    upgrades_request.set_page_size(2);
    licensing::v1::ListUpgradesResponse upgrades;
    status = stub_->ListUpgrades(Context().get(), upgrades_request, &upgrades);
    if (status.ok() && !upgrades.next_page_token().empty()) pools.page_tokens.push_back(upgrades.next_page_token());
    pools.fingerprints = {"", "daily-runs", "jobs:0", "jobs:2", "upgrades;state=0;license=0",
                          absl::StrCat("history:", pools.license_ids.front()),
                          absl::StrCat("upgrades;state=0;license=", pools.license_ids.front())};
    pools.classes.assign(classes.begin(), classes.end());
    pools.features.assign(features.begin(), features.end());
    EXPECT_FALSE(pools.license_ids.empty());
    EXPECT_FALSE(pools.sessions.empty());
    EXPECT_FALSE(pools.cancellable_upgrade_ids.empty());
    EXPECT_FALSE(pools.job_ids.empty());
    EXPECT_FALSE(pools.features.empty());
    return pools;
  }

  std::unique_ptr<IntegrationStack> stack_;
  std::unique_ptr<LicenseServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<LicenseService::Stub> stub_;
};

// Invalid UTF-8 makes protobuf log an error per parse; the test parses such
// bodies on purpose.
void QuietUtf8Errors(google::protobuf::LogLevel level, const char* filename, int line, const std::string& message) {
  if (message.find("UTF-8") != std::string::npos) return;
  std::cerr << "[libprotobuf " << filename << ":" << line << "] " << message << "\n";
  (void)level;
}

TEST_F(FuzzTest, EveryRpcAnswersRandomInputWithAProperStatus) {
  const uint64_t seed = SeedFromEnvironment();
  std::cout << "fuzz seed " << seed << ", " << kCalls << " calls (LSS_FUZZ_SEED=" << seed
            << " repeats the same requests)" << std::endl;
  RecordProperty("fuzz_seed", std::to_string(seed));
  google::protobuf::SetLogHandler(&QuietUtf8Errors);

  const Pools pools = LearnPools();
  ASSERT_FALSE(HasFailure());
  const std::vector<MethodInfo> methods = Methods();
  ASSERT_GE(methods.size(), 20u);

  // One seed per call, drawn up front: call i is the same whichever thread
  // makes it.
  std::vector<uint64_t> call_seeds(kCalls);
  std::mt19937_64 master(seed);
  for (uint64_t& s : call_seeds) s = master();

  absl::Mutex mu;
  std::vector<std::string> failures;
  std::map<std::string, std::map<std::string, int>> outcomes;  // method -> "CODE reason" -> count
  std::map<std::string, int> shapes;
  std::atomic<int> next{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < kCalls; i = next++) {
        Generator generator(pools, methods, call_seeds[i]);
        const FuzzCall call = generator.Draw(i);
        RawOptions options;
        options.server_streaming = call.method->server_streaming;
        options.read_limit = call.read_limit;
        options.send_message = call.shape != Shape::kNoMessage;
        options.deadline = call.method->server_streaming ? kStreamDeadline : kUnaryDeadline;
        const RawResult result = raw_call::Call(channel_, call.method->full_name, call.body, options);
        const std::vector<std::string> problems = ProblemsOf(call, result);
        const ErrorDetails details = DetailsOf(result.status);
        absl::MutexLock lock(&mu);
        ++outcomes[call.method->name][absl::StrCat(static_cast<int>(result.status.error_code()), " ", details.reason)];
        ++shapes[ShapeName(call.shape)];
        if (!problems.empty()) {
          failures.push_back(absl::StrCat(Describe(call, result, i), "\n  problems: ", absl::StrJoin(problems, "; ")));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const absl::Duration took = absl::Now() - start;

  std::cout << kCalls << " calls in " << absl::FormatDuration(took) << "; shapes:";
  for (const auto& [shape, count] : shapes) std::cout << " " << shape << "=" << count;
  std::cout << "\noutcomes per method (code reason=count):\n";
  for (const auto& [method, counts] : outcomes) {
    std::cout << "  " << method << ":";
    for (const auto& [outcome, count] : counts) std::cout << " [" << outcome << "]=" << count;
    std::cout << "\n";
  }
  std::cout << std::flush;

  // Every method was called, often enough to matter.
  for (const MethodInfo& method : methods) {
    int calls = 0;
    for (const auto& [outcome, count] : outcomes[method.name]) calls += count;
    EXPECT_GE(calls, kCalls / static_cast<int>(methods.size()) / 2) << method.name;
  }
  const size_t shown = std::min<size_t>(failures.size(), 25);
  EXPECT_TRUE(failures.empty()) << failures.size() << " improper answers (seed " << seed << "), the first:\n"
                                << absl::StrJoin(failures.begin(), failures.begin() + shown, "\n");

  // The server is still up and answers.
  EXPECT_TRUE(server_->IsRunning()) << server_->LogTail(40);
  licensing::v1::GetLicenseRequest get;
  get.set_license_id(pools.license_ids.front());
  licensing::v1::GetLicenseResponse got;
  grpc::Status status = stub_->GetLicense(Context().get(), get, &got);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.license().license_id(), pools.license_ids.front());
  absl::StatusOr<harness::ServingStatus> health = server_->CheckHealth(absl::Seconds(10));
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, harness::ServingStatus::kServing);
}

}  // namespace
}  // namespace lss::fuzz_test
