#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "ka-mock/admin_service.h"
#include "ka-mock/call_counter.h"
#include "ka-mock/catalogue.h"
#include "ka-mock/clock.h"
#include "ka-mock/credentials.h"
#include "ka-mock/delay_queue.h"
#include "ka-mock/faults.h"
#include "ka-mock/key_administrator.h"
#include "ka-mock/key_administrator_service.h"
#include "ka-mock/key_store.h"

namespace ka_mock {

struct KaMockOptions {
  PartnerCredentials credentials;
  const Clock* clock = &SystemClock();  // must outlive the server
};

// The whole of ka-mock in one object: the key store, the two services with
// reflection and the standard health service, and the gRPC server. main.cc
// runs it; the in-process tests run it on port 0.
//
// Call Start once and Shutdown at most once (the destructor shuts down
// too), from one thread. store() may be seeded before Start and used from
// any thread: KeyStore is thread-safe.
class KaMockServer {
 public:
  explicit KaMockServer(KaMockOptions options);
  ~KaMockServer();

  KaMockServer(const KaMockServer&) = delete;
  KaMockServer& operator=(const KaMockServer&) = delete;

  // Listens on `address` ("127.0.0.1:0" picks a free port; see port()),
  // with `credentials` (null: plaintext; see tls_credentials.h).
  // Port reuse is off, so a port that another server holds fails here
  // instead of silently sharing its connections.
  absl::Status Start(const std::string& address,
                     std::shared_ptr<grpc::ServerCredentials> credentials = nullptr);
  int port() const { return port_; }

  // Answers the calls that wait on injected latency at once, then stops the
  // server, cancelling calls still running after `grace`.
  void Shutdown(absl::Duration grace);

  KeyStore& store() { return store_; }
  const Clock& clock() const { return clock_; }

 private:
  const Catalogue& catalogue_;
  const Clock& clock_;
  KeyStore store_;
  KeyAdministrator administrator_;
  FaultInjector faults_;
  CallCounter calls_;
  DelayQueue delays_;
  KeyAdministratorServiceImpl key_administrator_service_;
  AdminServiceImpl admin_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace ka_mock
