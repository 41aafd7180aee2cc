// `licensectl terminate`: terminate a license at the Key Administrator and
// in billing, for good; so it is confirmed first, by a person at a terminal
// or by --yes in a script.
#include <string>

#include "absl/strings/str_cat.h"
#include "licensectl/commands.h"
#include "licensectl/license_printer.h"
#include "licensectl/license_selector.h"
#include "licensectl/prompt.h"

namespace licensectl {
namespace {

using licensing::v1::License;

std::string Describe(const License& license) {
  return absl::StrCat("license ", license.license_id(), " (", license.key_number(), ", ", license.license_class(),
                      ", capacity ", license.capacity(), ")");
}

// Shows the license and asks. kSuccess with `confirmed` set, or the exit
// code to end with (the call failed, the input ended).
ExitCode Confirm(CommandContext& context, const LicenseSelector& selector, bool& confirmed) {
  licensing::v1::GetLicenseRequest request;
  selector.ApplyTo(request);
  licensing::v1::GetLicenseResponse response;
  const auto call = context.connection().NewCallContext();
  const grpc::Status status = context.connection().service().GetLicense(call.get(), request, &response);
  if (!status.ok()) return context.CallFailed(status);
  const License& license = response.license();
  // Terminating again changes nothing (the call is idempotent): no need to ask.
  if (license.state() == licensing::v1::LICENSE_STATE_TERMINATED) {
    confirmed = true;
    return ExitCode::kSuccess;
  }
  context.out() << RenderLicense(license) << "\n";
  Prompter prompter(context.in(), context.err(), context.out(), /*echo_answers=*/!context.in_is_terminal());
  absl::optional<bool> yes = prompter.Confirm(
      absl::StrCat("Terminate ", Describe(license), " at KA and in billing? This cannot be undone."));
  if (!yes.has_value()) {
    return context.UsageError("the input ended before the question was answered; nothing was terminated");
  }
  confirmed = *yes;
  return ExitCode::kSuccess;
}

ExitCode RunTerminate(CommandContext& context) {
  absl::StatusOr<LicenseSelector> license = SelectLicense(context.options(), context.arguments());
  if (!license.ok()) return context.UsageError(license.status().message());
  const bool yes = context.options().Has("yes");
  const bool forced = context.options().Has("interactive");
  if (context.json() && forced) {
    return context.UsageError("--json asks nothing: confirm with --yes instead of --interactive");
  }
  if (!yes && !forced && (context.json() || !context.in_is_terminal())) {
    return context.UsageError(absl::StrCat(
        "terminating is for good, at KA and in billing: confirm with --yes (",
        context.json() ? "--json asks nothing" : "stdin is not a terminal, so licensectl cannot ask", ")"));
  }

  if (!yes) {
    bool confirmed = false;
    if (ExitCode asked = Confirm(context, *license, confirmed); asked != ExitCode::kSuccess) return asked;
    if (!confirmed) {
      context.out() << "Not terminated: you answered no; the license is unchanged.\n";
      return ExitCode::kSuccess;
    }
  }

  licensing::v1::TerminateLicenseRequest request;
  license->ApplyTo(request);
  licensing::v1::TerminateLicenseResponse response;
  const auto call = context.connection().NewCallContext();
  const grpc::Status status = context.connection().service().TerminateLicense(call.get(), request, &response);
  if (!status.ok()) return context.CallFailed(status);
  return context.PrintResult(response, [&] {
    return absl::StrCat("Terminated: ", Describe(response.license()), " is ", LicenseStateName(response.license().state()),
                        " at KA and in billing.\n");
  });
}

}  // namespace

Command TerminateCommand() {
  return {
      .name = "terminate",
      .summary = "Terminate a license at the Key Administrator and in billing.",
      .usage = "terminate (ID | KEY_NUMBER | --id N | --key KEY_NUMBER) [--yes] [--interactive]",
      .description =
          "Terminates the key at KA and sets the license TERMINATED in billing; this\n"
          "cannot be undone (to go lower than an upgrade allows, terminate and order a\n"
          "smaller license). Terminating a TERMINATED license again changes nothing.\n"
          "\n"
          "Asks first, showing the license, when stdin is a terminal (or with\n"
          "--interactive, reading the answer from stdin): \"... [y/N]\". Without a\n"
          "terminal, and always with --json, --yes is required: without it nothing is\n"
          "called and the exit code is 2. Prints the license's new state; --json prints\n"
          "the TerminateLicenseResponse.\n"
          "\n"
          "Exits 0 when terminated, and when you answered no (nothing changed); 1 when\n"
          "the call failed; 2 on a usage error (no --yes without a terminal, the input\n"
          "ended before an answer).\n",
      .options =
          {
              kLicenseIdOption,
              kKeyNumberOption,
              {"yes", "", "terminate without asking"},
              {"interactive", "", "ask, reading the answer from stdin, even when it is not a terminal"},
          },
      .run = RunTerminate,
  };
}

}  // namespace licensectl
