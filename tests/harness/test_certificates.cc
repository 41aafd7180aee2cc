#include "tests/harness/test_certificates.h"

#include <fstream>
#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/harness/process.h"

namespace lss::harness {
namespace {

// Our own configuration, so that the certificates do not depend on the
// machine's openssl.cnf: every extension is stated here.
constexpr char kConfig[] = R"(# Written by tests/harness/test_certificates.cc.
[req]
distinguished_name = dn
prompt = no

[dn]
CN = replaced by -subj

[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
authorityKeyIdentifier = keyid

[misnamed_server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:db.example.invalid
authorityKeyIdentifier = keyid

[client_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
)";

constexpr absl::Duration kStepTimeout = absl::Seconds(60);
constexpr char kDays[] = "7";

// Runs `openssl args...` to completion; its output goes to openssl.log.
absl::Status RunOpenssl(const std::string& dir, std::vector<std::string> args) {
  const std::string step = absl::StrJoin(args, " ");
  absl::StatusOr<std::unique_ptr<ChildProcess>> openssl = ChildProcess::Start(
      {.binary = "openssl", .args = std::move(args), .log_dir = dir, .name = "openssl"});
  if (!openssl.ok()) return openssl.status();
  absl::StatusOr<ExitStatus> ended = (*openssl)->WaitForExit(kStepTimeout);
  if (!ended.ok()) {
    return absl::Status(ended.status().code(),
                        absl::StrCat("openssl ", step, ": ", ended.status().message()));
  }
  if (*ended != ExitStatus::Exited(0)) {
    return absl::InternalError(absl::StrCat("openssl ", step, " ", ended->ToString(), "; its log:\n",
                                            (*openssl)->LogTail(20)));
  }
  return absl::OkStatus();
}

class Maker {
 public:
  explicit Maker(std::string dir) : dir_(std::move(dir)), config_(Path("openssl.cnf")) {}

  std::string Path(const std::string& file) const { return absl::StrCat(dir_, "/", file); }

  absl::Status WriteConfig() const {
    std::ofstream out(config_, std::ios::trunc);
    out << kConfig;
    out.close();
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", config_));
    return absl::OkStatus();
  }

  // A self-signed CA: `name`.pem and `name`.key.
  absl::Status MakeCa(const std::string& name, const std::string& common_name) const {
    return RunOpenssl(dir_, {"req", "-x509", "-new", "-newkey", "ec", "-pkeyopt",
                             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", Path(name + ".key"),
                             "-out", Path(name + ".pem"), "-days", kDays, "-subj",
                             "/CN=" + common_name, "-config", config_, "-extensions", "ca_ext"});
  }

  // `name`.pem and `name`.key, signed by CA `ca` with the extensions of
  // section `extensions`.
  absl::Status MakeLeaf(const std::string& name, const std::string& common_name, const std::string& ca,
                        const std::string& extensions) {
    if (absl::Status request = RunOpenssl(
            dir_, {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-keyout", Path(name + ".key"), "-out", Path(name + ".csr"), "-subj", "/CN=" + common_name,
                   "-config", config_});
        !request.ok()) {
      return request;
    }
    // Distinct serials: one issuer must never reuse one.
    return RunOpenssl(dir_, {"x509", "-req", "-in", Path(name + ".csr"), "-CA", Path(ca + ".pem"), "-CAkey",
                             Path(ca + ".key"), "-set_serial", absl::StrCat(++serial_), "-days", kDays,
                             "-sha256", "-extfile", config_, "-extensions", extensions, "-out",
                             Path(name + ".pem")});
  }

 private:
  const std::string dir_;
  const std::string config_;
  int serial_ = 1;
};

}  // namespace

absl::StatusOr<TestCertificates> TestCertificates::Create(const std::string& dir) {
  Maker maker(dir);
  // In order, stopping at the first failure: each step needs the ones before.
  const std::vector<std::function<absl::Status()>> steps = {
      [&] { return maker.WriteConfig(); },
      [&] { return maker.MakeCa("ca", "LSS test CA"); },
      [&] { return maker.MakeLeaf("server", "localhost", "ca", "server_ext"); },
      [&] { return maker.MakeLeaf("client", "lss test client", "ca", "client_ext"); },
      [&] { return maker.MakeLeaf("misnamed-server", "db.example.invalid", "ca", "misnamed_server_ext"); },
      [&] { return maker.MakeCa("wrong-ca", "LSS unrelated test CA"); },
      [&] { return maker.MakeLeaf("wrong-client", "lss client of the unrelated CA", "wrong-ca", "client_ext"); },
  };
  for (const std::function<absl::Status()>& step : steps) {
    if (absl::Status done = step(); !done.ok()) return done;
  }
  TestCertificates files;
  files.ca_cert = maker.Path("ca.pem");
  files.server_cert = maker.Path("server.pem");
  files.server_key = maker.Path("server.key");
  files.client_cert = maker.Path("client.pem");
  files.client_key = maker.Path("client.key");
  files.misnamed_server_cert = maker.Path("misnamed-server.pem");
  files.misnamed_server_key = maker.Path("misnamed-server.key");
  files.wrong_ca_cert = maker.Path("wrong-ca.pem");
  files.wrong_client_cert = maker.Path("wrong-client.pem");
  files.wrong_client_key = maker.Path("wrong-client.key");
  return files;
}

}  // namespace lss::harness
