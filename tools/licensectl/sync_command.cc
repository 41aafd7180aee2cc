// `licensectl sync`: compare one license with the Key Administrator now, and
// exit 3 when it is Not In Sync, so that scripts can act on the verdict.
#include "licensectl/commands.h"
#include "licensectl/license_printer.h"
#include "licensectl/license_selector.h"

namespace licensectl {
namespace {

ExitCode RunSync(CommandContext& context) {
  absl::StatusOr<LicenseSelector> license = SelectLicense(context.options(), context.arguments());
  if (!license.ok()) return context.UsageError(license.status().message());

  licensing::v1::SyncLicenseRequest request;
  license->ApplyTo(request);
  licensing::v1::SyncLicenseResponse response;
  const auto call = context.connection().NewCallContext();
  const grpc::Status status =
      context.connection().service().SyncLicense(call.get(), request, &response);
  if (!status.ok()) return context.CallFailed(status);

  const ExitCode printed =
      context.PrintResult(response, [&] { return RenderSyncResult(response.license()); });
  if (printed != ExitCode::kSuccess) return printed;
  return response.license().sync_status() == licensing::v1::SYNC_STATUS_NOT_IN_SYNC
             ? ExitCode::kNotInSync
             : ExitCode::kSuccess;
}

}  // namespace

Command SyncCommand() {
  return {
      .name = "sync",
      .summary = "Sync one license with the Key Administrator now.",
      .usage = "sync (ID | KEY_NUMBER | --id N | --key KEY_NUMBER)",
      .description =
          "Compares the license with the Key Administrator (KA) and records the result;\n"
          "billing's configuration is never changed (an upgrade does that). Prints\n"
          "\"In Sync\", or \"Not In Sync\" with the message and each mismatch:\n"
          "  - KIND: billing VALUE, KA VALUE\n"
          "An argument of digits only is a License ID; anything else is a Key Number.\n"
          "\n"
          "Exits 0 when In Sync, 3 when Not In Sync, 1 when the sync failed (KA\n"
          "unreachable: the license's status is left as it was).\n",
      .options = {kLicenseIdOption, kKeyNumberOption},
      .run = RunSync,
  };
}

}  // namespace licensectl
