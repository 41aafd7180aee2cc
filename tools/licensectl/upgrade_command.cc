// `licensectl upgrade`: the upgrade wizard, step by step (StartUpgrade,
// ConfigureUpgrade, PriceUpgrade, PlaceUpgradeOrder) over one session:
// asking the operator at a terminal, or driven by flags in a script, and
// resumable by the session's id at any step.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "licensectl/commands.h"
#include "licensectl/license_selector.h"
#include "licensectl/prompt.h"
#include "licensectl/rpc_errors.h"
#include "licensectl/upgrade_errors.h"
#include "licensectl/upgrade_plan.h"
#include "licensectl/upgrade_printer.h"
#include "licensectl/upgrade_questions.h"
#include "licensectl/value_format.h"

namespace licensectl {
namespace {

using licensing::v1::LicenseService;
using licensing::v1::Upgrade;

// The server's limit on a request_id (AIP-155).
constexpr size_t kMaxRequestIdLength = 64;

// One id per session: placing a session again (a retry of the same
// command, a resume after a lost answer) is then the same request.
// The server upgrades a session's key once whatever the id; the id makes
// the retry visible as one in the order and the audit log.
std::string RequestIdFor(const std::string& upgrade_id) {
  return absl::StrCat("licensectl-", upgrade_id).substr(0, kMaxRequestIdLength);
}

template <typename Request, typename Response>
grpc::Status Call(CommandContext& context,
                  grpc::Status (LicenseService::StubInterface::*method)(grpc::ClientContext*, const Request&,
                                                                        Response*),
                  const Request& request, Response* response) {
  const auto call = context.connection().NewCallContext();
  return (context.connection().service().*method)(call.get(), request, response);
}

// One run of the wizard over one session. The text of each step is shown
// as it happens; with --json only the last step's response is printed.
class UpgradeRun {
 public:
  UpgradeRun(CommandContext& context, UpgradePlan plan)
      : context_(context),
        plan_(std::move(plan)),
        prompter_(context.in(), context.err(), context.out(), /*echo_answers=*/!context.in_is_terminal()) {}

  ExitCode Run() {
    if (ExitCode opened = plan_.resume_id.empty() ? Start() : Resume(); opened != ExitCode::kSuccess) return opened;
    if (plan_.cancel) return CancelAndReport("Cancelled (--cancel).");
    switch (session_.state()) {
      case licensing::v1::UPGRADE_STATE_COMPLETED:
        return ReportCompleted();
      case licensing::v1::UPGRADE_STATE_CANCELLED:
      case licensing::v1::UPGRADE_STATE_EXPIRED:
      case licensing::v1::UPGRADE_STATE_FAILED:
        return ReportEnded();
      default:
        break;
    }
    Show(RenderUpgradeOpening(session_));
    // Configured and priced already: only placing is left.
    if (session_.state() == licensing::v1::UPGRADE_STATE_PLACING) return Decide();
    if (session_.state() == licensing::v1::UPGRADE_STATE_STARTED || plan_.configure) {
      if (ExitCode configured = Configure(); configured != ExitCode::kSuccess) return configured;
    }
    if (session_.state() == licensing::v1::UPGRADE_STATE_PRICED) {
      Show(absl::StrCat("\n", RenderUpgradePrice(session_)));
    } else if (ExitCode priced = Price(); priced != ExitCode::kSuccess) {
      return priced;
    }
    return Decide();
  }

 private:
  ExitCode Start() {
    licensing::v1::StartUpgradeRequest request;
    plan_.license->ApplyTo(request);
    licensing::v1::StartUpgradeResponse response;
    const grpc::Status status = Call(context_, &LicenseService::StubInterface::StartUpgrade, request, &response);
    if (!status.ok()) return Failed(status);
    session_ = response.upgrade();
    started_here_ = true;
    return ExitCode::kSuccess;
  }

  ExitCode Resume() {
    licensing::v1::GetUpgradeRequest request;
    request.set_upgrade_id(plan_.resume_id);
    licensing::v1::GetUpgradeResponse response;
    const grpc::Status status = Call(context_, &LicenseService::StubInterface::GetUpgrade, request, &response);
    if (!status.ok()) return Failed(status);
    session_ = response.upgrade();
    return ExitCode::kSuccess;
  }

  // From the flags, or else from the operator's answers, asked again while
  // the server refuses them as bad input (a refusal changes nothing).
  ExitCode Configure() {
    if (!plan_.configure && !plan_.interactive) {
      return context_.UsageError(absl::StrCat("upgrade ", session_.upgrade_id(),
                                              " is not configured yet: give --capacity N, --add-feature FEATURE "
                                              "or --adopt (or --interactive to be asked)"));
    }
    while (true) {
      licensing::v1::ConfigureUpgradeRequest request;
      request.set_upgrade_id(session_.upgrade_id());
      if (plan_.configure) {
        request.set_capacity(plan_.capacity);
        for (const std::string& feature : plan_.add_features) request.add_add_features(feature);
      } else {
        Show("\n");
        absl::optional<UpgradeChoice> choice = AskUpgradeChoice(prompter_, session_);
        if (!choice.has_value()) return InputEnded();
        request.set_capacity(choice->capacity);
        for (const std::string& feature : choice->add_features) request.add_add_features(feature);
      }
      licensing::v1::ConfigureUpgradeResponse response;
      const grpc::Status status =
          Call(context_, &LicenseService::StubInterface::ConfigureUpgrade, request, &response);
      if (status.ok()) {
        session_ = response.upgrade();
        return ExitCode::kSuccess;
      }
      if (plan_.configure || status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) return Failed(status);
      context_.err() << DescribeRpcError(status) << UpgradeErrorHint(status, &session_);
      prompter_.Explain("Please choose again.");
    }
  }

  ExitCode Price() {
    licensing::v1::PriceUpgradeRequest request;
    request.set_upgrade_id(session_.upgrade_id());
    licensing::v1::PriceUpgradeResponse response;
    const grpc::Status status = Call(context_, &LicenseService::StubInterface::PriceUpgrade, request, &response);
    if (!status.ok()) return Failed(status);
    session_ = response.upgrade();
    Show(absl::StrCat("\n", RenderUpgradePrice(session_)));
    return ExitCode::kSuccess;
  }

  // Place with --yes; ask at a terminal (or with --interactive); otherwise
  // stop here and say how to go on.
  ExitCode Decide() {
    if (plan_.yes) return Place();
    if (!plan_.interactive) return Stop();
    Show("\n");
    absl::optional<bool> place = prompter_.Confirm("Place the order?");
    if (!place.has_value()) return InputEnded();
    if (!*place) return CancelAndReport("Not placed: you answered no.");
    return Place();
  }

  ExitCode Place() {
    licensing::v1::PlaceUpgradeOrderRequest request;
    request.set_upgrade_id(session_.upgrade_id());
    request.set_request_id(RequestIdFor(session_.upgrade_id()));
    licensing::v1::PlaceUpgradeOrderResponse response;
    const grpc::Status status =
        Call(context_, &LicenseService::StubInterface::PlaceUpgradeOrder, request, &response);
    if (!status.ok()) {
      // Never cancelled here: the order may be on its way at KA, and
      // placing the session again completes it without a second key.
      context_.CallFailed(status);
      context_.err() << UpgradeErrorHint(status, &session_);
      return ExitCode::kCallFailed;
    }
    Show("\n");
    const ExitCode printed = context_.PrintResult(response, [&] { return RenderPlacedOrder(response); });
    if (printed != ExitCode::kSuccess) return printed;
    return response.license().sync_status() == licensing::v1::SYNC_STATUS_NOT_IN_SYNC ? ExitCode::kNotInSync
                                                                                      : ExitCode::kSuccess;
  }

  // Not placed without --yes: the priced session waits for a resume.
  ExitCode Stop() {
    const std::string resume = absl::StrCat("licensectl upgrade --resume ", session_.upgrade_id());
    if (session_.state() == licensing::v1::UPGRADE_STATE_PLACING) {
      return PrintSession([&] {
        return absl::StrCat("\nThe order is being placed (another run started it, or was interrupted).\n",
                            "  complete it:  ", resume, " --yes\n");
      });
    }
    return PrintSession([&] {
      return absl::StrCat("\nNot placed: the order waits for confirmation.\n", "  place it:   ", resume,
                          " --yes\n", "  cancel it:  ", resume, " --cancel\n",
                          session_.has_expire_time()
                              ? absl::StrCat("The session expires at ", FormatTimestamp(session_.expire_time()),
                                             " unless continued.\n")
                              : "");
    });
  }

  ExitCode CancelAndReport(absl::string_view why) {
    licensing::v1::CancelUpgradeRequest request;
    request.set_upgrade_id(session_.upgrade_id());
    licensing::v1::CancelUpgradeResponse response;
    const grpc::Status status = Call(context_, &LicenseService::StubInterface::CancelUpgrade, request, &response);
    if (!status.ok()) {
      context_.CallFailed(status);
      context_.err() << UpgradeErrorHint(status, &session_);
      return ExitCode::kCallFailed;
    }
    session_ = response.upgrade();
    return PrintSession([&] {
      return absl::StrCat(shown_ ? "\n" : "", why, " Upgrade ", session_.upgrade_id(),
                          " is CANCELLED: nothing was ordered; license ", session_.license_id(), " is unchanged.\n");
    });
  }

  // A completed session resumed: its order, and exit 3 when KA's answer
  // left the license Not In Sync.
  ExitCode ReportCompleted() {
    const ExitCode printed = PrintSession([&] { return RenderUpgradeOrder(session_); });
    if (printed != ExitCode::kSuccess) return printed;
    return session_.order().mismatches().empty() ? ExitCode::kSuccess : ExitCode::kNotInSync;
  }

  ExitCode ReportEnded() {
    PrintSession([&] {
      return session_.has_order() ? RenderUpgradeOrder(session_)
                                  : absl::StrCat("Upgrade ", session_.upgrade_id(), " (",
                                                 UpgradeStateName(session_.state()), ")\n");
    });
    context_.err() << "error: upgrade " << session_.upgrade_id() << " is " << UpgradeStateName(session_.state())
                   << " and cannot continue; start a new one: licensectl upgrade " << session_.license_id() << "\n";
    return ExitCode::kCallFailed;
  }

  // A step failed. A session this run opened is cancelled, so that a
  // refused configuration leaves nothing behind; a resumed one is left for
  // its owner to continue.
  ExitCode Failed(const grpc::Status& status) {
    context_.CallFailed(status);
    context_.err() << UpgradeErrorHint(status, session_.upgrade_id().empty() ? nullptr : &session_);
    if (!session_.upgrade_id().empty()) context_.err() << CancelQuietly() << "\n";
    return ExitCode::kCallFailed;
  }

  // The operator gave no answer: nothing placed, and a session this run
  // opened is cancelled.
  ExitCode InputEnded() {
    return context_.UsageError(absl::StrCat("the input ended before the question was answered. ", CancelQuietly()));
  }

  // Cancels the session if this run opened it; says what became of it (one
  // sentence, no newline).
  std::string CancelQuietly() {
    const std::string resume = absl::StrCat("licensectl upgrade --resume ", session_.upgrade_id());
    if (!started_here_) {
      return absl::StrCat("Upgrade ", session_.upgrade_id(), " is left as it was; '", resume, "' continues it.");
    }
    licensing::v1::CancelUpgradeRequest request;
    request.set_upgrade_id(session_.upgrade_id());
    licensing::v1::CancelUpgradeResponse response;
    if (!Call(context_, &LicenseService::StubInterface::CancelUpgrade, request, &response).ok()) {
      return absl::StrCat("Upgrade ", session_.upgrade_id(), " could not be cancelled; it expires unless '",
                          resume, "' continues it.");
    }
    session_ = response.upgrade();
    return absl::StrCat("Upgrade ", session_.upgrade_id(), " cancelled: nothing was ordered.");
  }

  // Prints the session as the last step left it: with --json as
  // {"upgrade": ...} (every step's response has that shape), else `text`.
  ExitCode PrintSession(absl::FunctionRef<std::string()> text) {
    licensing::v1::GetUpgradeResponse response;
    *response.mutable_upgrade() = session_;
    return context_.PrintResult(response, text);
  }

  void Show(absl::string_view text) {
    if (context_.json()) return;
    context_.out() << text;
    shown_ = true;
  }

  CommandContext& context_;
  const UpgradePlan plan_;
  Prompter prompter_;
  Upgrade session_;
  bool started_here_ = false;
  bool shown_ = false;
};

ExitCode RunUpgrade(CommandContext& context) {
  absl::StatusOr<UpgradePlan> plan =
      ParseUpgradePlan(context.options(), context.arguments(), context.json(), context.in_is_terminal());
  if (!plan.ok()) return context.UsageError(plan.status().message());
  return UpgradeRun(context, *std::move(plan)).Run();
}

}  // namespace

Command UpgradeCommand() {
  return {
      .name = "upgrade",
      .summary = "Upgrade a license: the wizard, asking or driven by flags.",
      // The further lines line up after "Usage: licensectl upgrade ".
      .usage = "upgrade (ID | KEY_NUMBER | --id N | --key KEY_NUMBER)\n"
               "                          [--capacity N] [--add-feature FEATURE]... [--features LIST]\n"
               "                          [--adopt] [--yes] [--interactive]\n"
               "       licensectl upgrade --resume UPGRADE_ID [configuration flags] [--yes | --cancel]",
      .description =
          "Opens an upgrade session for the license and shows what it starts from: the\n"
          "license's configuration, its sync status (a Not In Sync license adopts KA's\n"
          "configuration: the upgrade starts from it), the capacity steps and features\n"
          "offered. Then configures the target, prices it (a line per capacity step and\n"
          "feature, and the fee; prorated for the rest of the term) and places the order:\n"
          "KA issues the new key, and the license keeps its ID, gets the new key number\n"
          "and is In Sync.\n"
          "\n"
          "Asking: when stdin is a terminal (or with --interactive, reading the answers\n"
          "from stdin one per line), asks for the capacity (Enter keeps it) and the\n"
          "features to add (comma-separated, Enter adds none) unless flags give them,\n"
          "then \"Place the order? [y/N]\" unless --yes. Answering no cancels the session.\n"
          "\n"
          "Flags: --capacity, --add-feature and --features give the target; --adopt\n"
          "changes nothing and takes KA's configuration as it is (to resolve Not In\n"
          "Sync). Without a terminal and without --yes, the wizard stops once priced and\n"
          "prints how to go on: 'licensectl upgrade --resume UPGRADE_ID --yes' places\n"
          "the order, '... --cancel' cancels it. --resume continues a session at its\n"
          "step ('licensectl upgrades' lists them); on a placed session it shows the\n"
          "order; configuration flags configure it again.\n"
          "\n"
          "Placing a session again never upgrades the key twice. A step the server\n"
          "refuses is printed with its reason (e.g. DOWNGRADE_REFUSED,\n"
          "CAPACITY_NOT_OFFERED, FEATURE_NOT_OFFERED, UPGRADE_NO_CHANGE,\n"
          "KEY_NOT_UPGRADABLE, LICENSE_NOT_ACTIVE) and a hint; a session this run opened\n"
          "is then cancelled, so nothing is left behind.\n"
          "\n"
          "--json asks nothing (give the flags) and prints one JSON document, the last\n"
          "step's response: {\"upgrade\", \"license\"} (PlaceUpgradeOrderResponse) when the\n"
          "order was placed, otherwise {\"upgrade\"}, the session as it was left (state\n"
          "UPGRADE_STATE_PRICED when waiting for --yes, UPGRADE_STATE_CANCELLED).\n"
          "\n"
          "Exits 0 when the order was placed and the license is In Sync, when it waits\n"
          "for --yes, and when it was cancelled (answered no, --cancel); 3 when the\n"
          "order was placed but KA's answer left the license Not In Sync; 1 when a step\n"
          "failed or the resumed session has ended; 2 on a usage error, and when the\n"
          "input ended before a question was answered (nothing is placed then).\n",
      .options =
          {
              kLicenseIdOption,
              kKeyNumberOption,
              {"capacity", "N", "target capacity, one of the offered steps (default: keep)"},
              {"add-feature", "FEATURE", "add an offered feature by API name; repeatable"},
              {"features", "LIST", "add offered features, comma-separated, e.g. POWER_PACK,BACKUP_CLOUD"},
              {"adopt", "", "change nothing: take KA's configuration as it is"},
              {"yes", "", "place the order without asking"},
              {"interactive", "", "ask, reading answers from stdin, even when it is not a terminal"},
              {"resume", "UPGRADE_ID", "continue this session instead of opening one"},
              {"cancel", "", "with --resume: cancel the session"},
          },
      .run = RunUpgrade,
  };
}

}  // namespace licensectl
