// What an operator can do about a refused upgrade step or termination. The
// server's error (code, message, ErrorInfo reason, fields) is printed by
// CommandContext::CallFailed; this adds the next move for the reasons the
// wizard meets, in the wizard's own terms (its options, `--resume`).
#pragma once

#include <string>

#include "grpcpp/support/status.h"
#include "licensing/v1/upgrade.pb.h"

namespace licensectl {

// One line "  hint: ...\n" for `status`'s ErrorInfo reason, or "" when
// there is nothing to add. `session`, when known (null otherwise), names
// the offered capacities and features and the session to resume.
std::string UpgradeErrorHint(const grpc::Status& status, const licensing::v1::Upgrade* session);

}  // namespace licensectl
