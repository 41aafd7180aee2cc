// The integration-test harness: real processes on free loopback ports,
// waited for until they serve, and the controls to crash, hang and restart
// them. Link `lss_test_harness` and include this header.
//
// A typical end-to-end test:
//
//   using namespace lss::harness;
//
//   TEST(UpgradeIntegrationTest, SurvivesServerCrash) {
//     absl::StatusOr<TempDir> dir = TempDir::Create("upgrade");
//     ASSERT_TRUE(dir.ok()) << dir.status();
//     absl::StatusOr<TestDatabase> db = CreateSharedTestDatabase("upgrade");
//     ASSERT_TRUE(db.ok()) << db.status();   // never skipped: fails instead
//
//     auto ka = KaMockProcess::Start({.seed_keys = 10,
//                                     .work_dir = dir->path()});
//     ASSERT_TRUE(ka.ok()) << ka.status();
//     auto server = LicenseServerProcess::Start({
//         .db = db->Dsn(), .db_password = db->password(),
//         .ka_address = (*ka)->address(), .work_dir = dir->path()});
//     ASSERT_TRUE(server.ok()) << server.status();
//
//     auto stub = licensing::v1::LicenseService::NewStub(
//         (*server)->NewChannel());
//     ... call it ...
//     (*server)->Kill();                        // crash at this point
//     ASSERT_TRUE((*server)->Restart().ok());   // same port: stubs stay valid
//     ASSERT_TRUE(WaitFor([&] { return /* the invariant holds */; },
//                         absl::Seconds(10)));
//   }
//
// What is where:
//  - wait.h                  WaitFor(condition, timeout): the only way to wait.
//                            Never sleep for a fixed time; never assert that
//                            something took less than N ms (CI is slow).
//  - temp_dir.h              TempDir: a folder removed afterwards
//                            (LSS_KEEP_TEST_DIRS=1 keeps it).
//  - process.h               ChildProcess: spawn, Kill (-9), Freeze (SIGSTOP),
//                            Thaw, Stop (SIGTERM, then SIGKILL), Restart,
//                            LogTail. Children die with the test.
//  - grpc_server_process.h   GrpcServerProcess: a program of ours started on
//                            127.0.0.1:0 (--listen/--port_file), waited for
//                            until the health service says SERVING; Restart()
//                            keeps the port.
//  - ka_mock_process.h       KaMockProcess: tools/ka-mock.
//  - license_server_process.h LicenseServerProcess: server/license-server.
//  - health_check.h          CheckHealth(channel, service, timeout).
//  - mariadb_process.h       MariaDbProcess: a private MariaDB to crash,
//                            freeze and restart.
//  - shared_mariadb.h        SharedMariaDb(), CreateSharedTestDatabase(): the
//                            CI's server (LSS_TEST_MYSQL_*) or a private one,
//                            and a fresh database per suite.
//  - mariadb_client.h        ExecuteSql, QueryScalar: SQL for setup and
//                            assertions, independent of the code under test.
//  - test_certificates.h     TestCertificates: a CA, server and client
//                            certificates, and an unrelated CA, made by
//                            openssl for TLS tests.
//  - tls_credentials.h       TlsChannelCredentials: a test client's TLS; pass
//                            it as the process options' channel_credentials
//                            when a server is started with TLS flags.
//
// Failures explain themselves: start-up errors carry the end of the
// program's log, and the servers print their log's end when they are torn
// down in a test that failed.
//
// Fault injection, in brief: Kill() is a crash (kill -9; for MariaDB,
// InnoDB recovers on Restart()); Freeze() is a peer that hangs with its
// connections open (calls time out, they are not refused); Stop() is an
// orderly shutdown whose ExitStatus a test can check (Exited(0)).
//
// Thread-safety: the process objects are driven from the test's thread;
// channels, CheckHealth and the SQL helpers may be used from any thread.
#pragma once

#include "tests/harness/exit_status.h"
#include "tests/harness/grpc_server_process.h"
#include "tests/harness/health_check.h"
#include "tests/harness/ka_mock_process.h"
#include "tests/harness/license_server_process.h"
#include "tests/harness/mariadb_client.h"
#include "tests/harness/mariadb_endpoint.h"
#include "tests/harness/mariadb_process.h"
#include "tests/harness/process.h"
#include "tests/harness/shared_mariadb.h"
#include "tests/harness/temp_dir.h"
#include "tests/harness/test_certificates.h"
#include "tests/harness/tls_credentials.h"
#include "tests/harness/wait.h"
