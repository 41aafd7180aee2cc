// `licensectl get`: one license in full, by License ID or Key Number.
#include "licensectl/commands.h"
#include "licensectl/license_printer.h"
#include "licensectl/license_selector.h"

namespace licensectl {
namespace {

ExitCode RunGet(CommandContext& context) {
  absl::StatusOr<LicenseSelector> license = SelectLicense(context.options(), context.arguments());
  if (!license.ok()) return context.UsageError(license.status().message());

  licensing::v1::GetLicenseRequest request;
  license->ApplyTo(request);
  licensing::v1::GetLicenseResponse response;
  const auto call = context.connection().NewCallContext();
  const grpc::Status status = context.connection().service().GetLicense(call.get(), request, &response);
  if (!status.ok()) return context.CallFailed(status);

  return context.PrintResult(response, [&] { return RenderLicense(response.license()); });
}

}  // namespace

Command GetCommand() {
  return {
      .name = "get",
      .summary = "Show one license: configuration, sync status, mismatches.",
      .usage = "get (ID | KEY_NUMBER | --id N | --key KEY_NUMBER)",
      .description =
          "An argument of digits only is a License ID; anything else is a Key Number,\n"
          "with or without its revision (PLSK.00012345 or PLSK.00012345.0002).\n"
          "Use --key for a Key Number of digits only.\n"
          "Each mismatch of a Not In Sync license is listed as\n"
          "  - KIND: billing VALUE, KA VALUE\n"
          "Exits 0 whatever the sync status; 'licensectl sync' checks it.\n",
      .options = {kLicenseIdOption, kKeyNumberOption},
      .run = RunGet,
  };
}

}  // namespace licensectl
