#!/usr/bin/python3
"""Example client of licensing.v1.LicenseService, for internal services.

Syncs one license with the Key Administrator (SyncLicense), or all of them
(SyncAll, reading its progress stream to the end). Copy what you need: the
channel and token setup, one call each, and the decoding of the AIP-193
error details (google.rpc.ErrorInfo reason, BadRequest fields).

Needs Debian's python3-grpcio and python3-protobuf (run it with
/usr/bin/python3) and the generated stubs on PYTHONPATH; see README.md.

Exit codes (those of `licensectl sync`):
  0  In Sync; for sync-all, the job completed
  1  the call failed, or the SyncAll job did not complete (error on stderr)
  2  usage error
  3  Not In Sync (the sync itself succeeded)
"""

import argparse
import os
import sys

try:
    import grpc
    from google.rpc import error_details_pb2, status_pb2
    from licensing.v1 import license_pb2, license_service_pb2, license_service_pb2_grpc, sync_pb2
except ImportError as missing:
    sys.exit(
        f"sync_client: cannot import {missing.name}: install python3-grpcio and "
        "python3-protobuf, run with /usr/bin/python3, and put the generated stubs on "
        "PYTHONPATH (e.g. PYTHONPATH=build/python; see README.md)"
    )

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_IN_SYNC = 3

# gRPC carries the google.rpc.Status of a failed call, details included, in
# this trailing metadata entry. (grpcio-status's grpc_status module decodes
# it too, but Debian does not package it.)
STATUS_DETAILS_KEY = "grpc-status-details-bin"

SYNC_STATUS_NAMES = {
    license_pb2.SYNC_STATUS_UNSPECIFIED: "Unspecified",
    license_pb2.SYNC_STATUS_NEVER_SYNCED: "Never Synced",
    license_pb2.SYNC_STATUS_IN_SYNC: "In Sync",
    license_pb2.SYNC_STATUS_NOT_IN_SYNC: "Not In Sync",
}


class UsageError(Exception):
    """Options that cannot work together; reported like argparse's errors."""


# --- connection ------------------------------------------------------------


def read_pem(path):
    try:
        with open(path, "rb") as pem:
            return pem.read()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from error


def open_channel(args):
    """A channel to license-server: TLS when a CA or a client certificate is
    given (the server then serves TLS only), plaintext otherwise."""
    if bool(args.tls_cert_file) != bool(args.tls_key_file):
        raise UsageError("--tls-cert-file and --tls-key-file go together")
    if not (args.tls_ca_file or args.tls_cert_file):
        return grpc.insecure_channel(args.address)
    credentials = grpc.ssl_channel_credentials(
        # None: the system's trusted CAs.
        root_certificates=read_pem(args.tls_ca_file) if args.tls_ca_file else None,
        private_key=read_pem(args.tls_key_file) if args.tls_key_file else None,
        certificate_chain=read_pem(args.tls_cert_file) if args.tls_cert_file else None,
    )
    return grpc.secure_channel(args.address, credentials)


def call_metadata(args):
    """The token travels as a bearer token in every call's metadata."""
    return [("authorization", f"Bearer {args.token}")] if args.token else []


# --- errors ----------------------------------------------------------------


def rich_status(error):
    """The google.rpc.Status the server attached to a failed call, or None.

    The server states the case in an ErrorInfo reason (LICENSE_NOT_FOUND,
    KEY_ADMINISTRATOR_UNAVAILABLE, ...) and names bad fields in a
    BadRequest: branch on those, not on the message text.
    """
    for key, value in error.trailing_metadata() or ():
        if key == STATUS_DETAILS_KEY:
            return status_pb2.Status.FromString(value)
    return None


def error_info(status):
    """The ErrorInfo among a rich status's details, or None."""
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info
    return None


def describe_rpc_error(error, args):
    """What went wrong, for stderr: code, message, reason and metadata, bad
    fields, and a hint when the cause is likely on this side."""
    lines = [f"error: {error.code().name}: {error.details()}"]
    status = rich_status(error)
    info = error_info(status)
    if info:
        lines.append(f"  reason: {info.reason}")
        lines.extend(f"  {key}: {value}" for key, value in sorted(info.metadata.items()))
    for detail in status.details if status else ():
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            lines.extend(f"  field {v.field}: {v.description}" for v in bad_request.field_violations)

    code = error.code()
    if code == grpc.StatusCode.UNAVAILABLE and info is None:
        # With an ErrorInfo the server itself answered (say, KA is down).
        lines.append(f"  hint: is license-server running at {args.address}? (--address HOST:PORT)")
    elif code == grpc.StatusCode.DEADLINE_EXCEEDED:
        lines.append("  hint: no answer in time; --timeout SECONDS waits longer")
    elif code == grpc.StatusCode.UNAUTHENTICATED and not args.token:
        lines.append("  hint: no token was sent: --token TOKEN or LICENSE_SYNC_TOKEN")
    return "\n".join(lines)


# --- sync ------------------------------------------------------------------


def describe_sync_status(synced):
    status = SYNC_STATUS_NAMES.get(synced.sync_status, str(synced.sync_status))
    message = synced.sync_message
    # The server's message usually starts with the status ("Not In Sync:
    # ..."); say it once.
    if not message or message == status or message.startswith(f"{status}: "):
        return message or status
    return f"{status}: {message}"


def mismatch_kind_name(kind):
    return license_pb2.MismatchKind.Name(kind).removeprefix("MISMATCH_KIND_")


def run_sync(stub, args):
    """SyncLicense: compares one license with KA now and prints the verdict."""
    if args.license_id is not None:
        request = license_service_pb2.SyncLicenseRequest(license_id=args.license_id)
    else:
        request = license_service_pb2.SyncLicenseRequest(key_number=args.key_number)
    response = stub.SyncLicense(request, timeout=args.timeout, metadata=call_metadata(args))

    synced = response.license
    print(f"{synced.key_number} (License ID {synced.license_id})")
    print(describe_sync_status(synced))
    for mismatch in synced.mismatches:
        print(
            f"  - {mismatch_kind_name(mismatch.kind)}: billing {mismatch.billing_value or '(none)'}, "
            f"KA {mismatch.ka_value or '(none)'}"
        )
    if synced.sync_status == license_pb2.SYNC_STATUS_NOT_IN_SYNC:
        return EXIT_NOT_IN_SYNC
    return EXIT_OK


# --- sync-all --------------------------------------------------------------


def job_state_name(state):
    return sync_pb2.SyncJobState.Name(state).removeprefix("SYNC_JOB_STATE_")


def counts(progress):
    return (
        f"{progress.in_sync} In Sync, {progress.not_in_sync} Not In Sync, "
        f"{progress.errors} errors, {progress.skipped} skipped"
    )


def progress_line(progress):
    line = (
        f"progress: job {progress.job_id} {job_state_name(progress.state)}, "
        f"{progress.processed}/{progress.total} processed: {counts(progress)}"
    )
    if progress.state == sync_pb2.SYNC_JOB_STATE_RUNNING:
        line += f"; {progress.rate_per_second:.1f}/s"
        if progress.HasField("eta"):
            seconds = progress.eta.ToTimedelta().total_seconds()
            line += f", about {seconds:.0f}s left" if seconds >= 1 else ", under a second left"
    if progress.waiting_for_key_administrator:
        line += " (paused: the Key Administrator is unreachable; resumes by itself)"
    return line


def changed(before, after):
    """Whether a reader would see news: the rate moves with every snapshot."""

    def news(progress):
        return (progress.state, progress.processed, progress.waiting_for_key_administrator)

    return news(before) != news(after)


def run_sync_all(stub, args):
    """SyncAll: starts a server-side job (or joins the one running) and
    follows its progress to the end."""
    request = license_service_pb2.SyncAllRequest()
    if args.key_prefix:
        request.scope.key_number_prefix = args.key_prefix
    # A stream lasts as long as the job: its deadline is the longest wait
    # acceptable, not a call's usual one.
    stream = stub.SyncAll(request, timeout=args.stream_timeout, metadata=call_metadata(args))
    last = None
    try:
        for response in stream:
            progress = response.progress
            # The server streams a snapshot per tick, also when nothing was
            # processed since the last one: a line per change keeps logs short.
            if last is None or changed(last, progress):
                # Flushed per line, so that a pipe or a log shows progress live.
                print(progress_line(progress), flush=True)
            last = progress
    except KeyboardInterrupt:
        stream.cancel()
        job = f" job {last.job_id}" if last else ""
        print(f"sync_client: disconnected; the{job} keeps running on the server", file=sys.stderr)
        return EXIT_FAILED

    if last is None or last.state == sync_pb2.SYNC_JOB_STATE_RUNNING:
        print("error: the stream ended before the job did", file=sys.stderr)
        return EXIT_FAILED
    print(
        f"summary: job {last.job_id} {job_state_name(last.state)}, "
        f"{last.processed} of {last.total} licenses: {counts(last)}"
    )
    return EXIT_OK if last.state == sync_pb2.SYNC_JOB_STATE_SUCCEEDED else EXIT_FAILED


# --- command line ----------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Sync billing's licenses with the Key Administrator through license-server.",
        epilog="Exit codes: 0 In Sync / job completed, 1 failed, 2 usage, 3 Not In Sync.",
    )
    parser.add_argument(
        "--address",
        metavar="HOST:PORT",
        default="127.0.0.1:50051",
        help="license-server's address (default: %(default)s)",
    )
    parser.add_argument(
        "--token",
        metavar="TOKEN",
        default=os.environ.get("LICENSE_SYNC_TOKEN", ""),
        help="bearer token (default: $LICENSE_SYNC_TOKEN; prefer it: arguments are visible to ps)",
    )
    parser.add_argument("--tls-ca-file", metavar="PEM", help="CA that the server's certificate chains to; turns TLS on")
    parser.add_argument("--tls-cert-file", metavar="PEM", help="client certificate, for mutual TLS")
    parser.add_argument("--tls-key-file", metavar="PEM", help="private key of --tls-cert-file")
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=float,
        default=30,
        help="deadline of each unary call (default: %(default)s)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    sync = commands.add_parser("sync", help="sync one license now; exit 3 when Not In Sync")
    which = sync.add_mutually_exclusive_group(required=True)
    which.add_argument("--key-number", metavar="KEY", help="the license's Key Number, with or without revision")
    which.add_argument("--license-id", metavar="ID", type=int, help="billing's License ID")
    sync.set_defaults(run=run_sync)

    sync_all = commands.add_parser("sync-all", help="sync every active license, printing progress")
    sync_all.add_argument(
        "--key-prefix",
        metavar="PREFIX",
        help='only licenses whose key number starts with this, e.g. "PLSK."',
    )
    sync_all.add_argument(
        "--stream-timeout",
        metavar="SECONDS",
        type=float,
        default=3600,
        help="the longest wait for the whole job (default: %(default)s)",
    )
    sync_all.set_defaults(run=run_sync_all)
    return parser, parser.parse_args(argv)


def main(argv):
    parser, args = parse_args(argv)
    try:
        with open_channel(args) as channel:
            stub = license_service_pb2_grpc.LicenseServiceStub(channel)
            return args.run(stub, args)
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except grpc.RpcError as error:
        # Unary calls and streams alike raise RpcErrors that are also
        # grpc.Call: code, message and trailing metadata.
        print(describe_rpc_error(error, args), file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
