#include "server/auth/authenticator.h"

#include <gtest/gtest.h>

#include "common/status/error_details.h"
#include "server/auth/method_roles.h"

namespace lss {
namespace {

Authenticator WithTokens() {
  return Authenticator({TokenEntry{Sha256Hex("view-token"), "dashboard", Role::kViewer},
                        TokenEntry{Sha256Hex("ops-token"), "ops-bot", Role::kOperator},
                        TokenEntry{Sha256Hex("root-token"), "auditor", Role::kAdmin}});
}

TEST(AuthenticatorTest, Sha256IsTheStandardOne) {
  // printf %s test | sha256sum
  EXPECT_EQ(Sha256Hex("test"), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
}

TEST(AuthenticatorTest, WithoutTokensEveryoneIsAnonymousAdmin) {
  const Authenticator open;
  EXPECT_FALSE(open.enabled());
  absl::StatusOr<CallerIdentity> caller = open.Identify(absl::nullopt);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->name, kAnonymousCaller);
  EXPECT_TRUE(Authorize(*caller, "ListAuditEvents").ok());
}

TEST(AuthenticatorTest, ABearerTokenNamesItsCaller) {
  const Authenticator auth = WithTokens();
  absl::StatusOr<CallerIdentity> caller = auth.Identify("Bearer ops-token");
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->name, "ops-bot");
  EXPECT_EQ(caller->role, Role::kOperator);
  EXPECT_TRUE(auth.Identify("bearer  ops-token ").ok()) << "the scheme is case-insensitive";
}

TEST(AuthenticatorTest, MissingMalformedOrUnknownTokensAreUnauthenticated) {
  const Authenticator auth = WithTokens();
  const struct {
    absl::optional<absl::string_view> header;
    std::string reason;
  } cases[] = {{absl::nullopt, "TOKEN_MISSING"},
               {"", "TOKEN_MISSING"},
               {"ops-token", "TOKEN_INVALID"},
               {"Basic b3BzOnRva2Vu", "TOKEN_INVALID"},
               {"Bearer ", "TOKEN_INVALID"},
               {"Bearer not-a-token", "TOKEN_INVALID"}};
  for (const auto& c : cases) {
    absl::StatusOr<CallerIdentity> caller = auth.Identify(c.header);
    ASSERT_FALSE(caller.ok());
    EXPECT_EQ(caller.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(ReasonOf(caller.status()), c.reason);
    EXPECT_EQ(caller.status().message().find("token\""), absl::string_view::npos);
    EXPECT_EQ(caller.status().message().find("ops-token"), absl::string_view::npos) << "no secret in errors";
  }
}

TEST(AuthenticatorTest, RolesAreCumulativeAndNamedWhenTooLow) {
  const CallerIdentity viewer{"dashboard", Role::kViewer, "", ""};
  const CallerIdentity operator_{"ops-bot", Role::kOperator, "", ""};
  EXPECT_TRUE(Authorize(viewer, "GetLicense").ok());
  EXPECT_TRUE(Authorize(operator_, "GetLicense").ok());
  EXPECT_TRUE(Authorize(operator_, "PlaceUpgradeOrder").ok());
  const absl::Status denied = Authorize(viewer, "SyncLicense");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(denied), "ROLE_TOO_LOW");
  EXPECT_EQ(MetadataOf(denied, "required_role"), "operator");
  EXPECT_EQ(Authorize(operator_, "ListAuditEvents").code(), absl::StatusCode::kPermissionDenied);
}

TEST(MethodRolesTest, AnUnlistedMethodNeedsAdminAndIsNotAudited) {
  EXPECT_EQ(RequiredRole("DropAllLicenses"), Role::kAdmin);
  EXPECT_FALSE(ChangesState("DropAllLicenses"));
  EXPECT_TRUE(ChangesState("TerminateLicense"));
  EXPECT_FALSE(ChangesState("ListAuditEvents"));
}

}  // namespace
}  // namespace lss
