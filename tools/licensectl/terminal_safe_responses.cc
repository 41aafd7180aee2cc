#include "licensectl/terminal_safe_responses.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/any.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/rpc/status.pb.h"
#include "licensectl/terminal_safe_text.h"

namespace licensectl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// An Any's payload is bytes to reflection; its type, when this build knows
// it, says how to read them (the error details: ErrorInfo, BadRequest).
void MakeAnyTerminalSafe(google::protobuf::Any& any) {
  const std::string type_name(any.type_url().substr(any.type_url().rfind('/') + 1));
  const google::protobuf::Descriptor* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
  if (type == nullptr) return;
  const Message* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) return;
  std::unique_ptr<Message> payload(prototype->New());
  if (!payload->ParseFromString(any.value())) return;
  MakeStringsTerminalSafe(*payload);
  any.set_value(payload->SerializeAsString());
}

// gRPC hands received messages over as void*. Every call on licensectl's
// channel is one of LicenseService's, whose responses are generated
// protobuf messages: the pointer is one to a google::protobuf::Message.
class TerminalSafeInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit TerminalSafeInterceptor(bool responses_too) : responses_too_(responses_too) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (responses_too_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Null when a stream ended instead of delivering a message.
      if (void* received = methods->GetRecvMessage(); received != nullptr) {
        MakeStringsTerminalSafe(*static_cast<Message*>(received));
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_STATUS)) {
      grpc::Status* status = methods->GetRecvStatus();
      *status = TerminalSafeStatus(*status);
    }
    methods->Proceed();
  }

 private:
  const bool responses_too_;
};

class TerminalSafeInterceptorFactory final : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit TerminalSafeInterceptorFactory(bool responses_too) : responses_too_(responses_too) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(grpc::experimental::ClientRpcInfo* /*info*/) override {
    return new TerminalSafeInterceptor(responses_too_);
  }

 private:
  const bool responses_too_;
};

}  // namespace

void MakeStringsTerminalSafe(Message& message) {
  if (auto* any = google::protobuf::DynamicCastToGenerated<google::protobuf::Any>(&message)) {
    MakeAnyTerminalSafe(*any);
    return;
  }
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  // The fields that are set (a map is a repeated field of entries).
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      // Set only when it changes: almost no string does.
      if (!field->is_repeated()) {
        const std::string value = reflection.GetString(message, field);
        if (std::string safe = TerminalSafeField(value); safe != value) {
          reflection.SetString(&message, field, std::move(safe));
        }
        continue;
      }
      for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
        const std::string value = reflection.GetRepeatedString(message, field, i);
        if (std::string safe = TerminalSafeField(value); safe != value) {
          reflection.SetRepeatedString(&message, field, i, std::move(safe));
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!field->is_repeated()) {
        MakeStringsTerminalSafe(*reflection.MutableMessage(&message, field));
        continue;
      }
      for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
        MakeStringsTerminalSafe(*reflection.MutableRepeatedMessage(&message, field, i));
      }
    }
  }
}

grpc::Status TerminalSafeStatus(const grpc::Status& status) {
  if (status.ok()) return status;
  std::string details = status.error_details();
  if (google::rpc::Status rich; !details.empty() && rich.ParseFromString(details)) {
    MakeStringsTerminalSafe(rich);
    details = rich.SerializeAsString();
  }
  return grpc::Status(status.error_code(), TerminalSafeField(status.error_message()), details);
}

std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface> MakeTerminalSafeInterceptorFactory(
    bool responses_too) {
  return std::make_unique<TerminalSafeInterceptorFactory>(responses_too);
}

}  // namespace licensectl
