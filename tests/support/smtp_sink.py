#!/usr/bin/python3
"""A real SMTP server for Masthead's mail tests and benchmark (aiosmtpd).

Listens on 127.0.0.1, on --port (0: the kernel picks one) and writes the port it
got to --port-file (atomically, so a reader never sees a partial number). Every
accepted message is stored in --out-dir as NAME.eml (the bytes received) and then
NAME.json (envelope plus what Python's own email parser makes of it: decoded
headers, text and HTML parts, MIME defects). The .json file appears last, so its
presence means the message is complete. Names sort in arrival order, also across
restarts of the sink. OUT_DIR/connections holds the number of SMTP connections
this sink process accepted.

Fault options:
  --temp-fail REGEX   answer RCPT TO for matching addresses with 451 (temporary)
  --perm-fail REGEX   answer RCPT TO for matching addresses with 550 (permanent)
  --drop-after-data N for the first N messages: store the message, then drop the
                      connection before the 250 reply (the one failure where
                      the client cannot know the message arrived)
  --down              greet every connection with 421 and close it
  --down-file PATH    behave as --down while PATH exists (checked per connection)
  --auth USER:PASS    offer AUTH PLAIN/LOGIN (without TLS, loopback only) and
                      require it
  --tls-dir DIR       offer STARTTLS with DIR/cert.pem and DIR/key.pem, a
                      self-signed certificate for 127.0.0.1 made with the
                      openssl command when absent (clients trust DIR/cert.pem)
  --implicit-tls      with --tls-dir: TLS from the first byte (smtps://)
                      instead of STARTTLS
  --no-parse          store only .eml plus a minimal .json
  --count-only        store nothing; write the number of accepted messages to
                      OUT_DIR/received when stopping (for the benchmark)
  --verbose           log SMTP sessions to stderr
Stops on SIGTERM or SIGINT.
"""
import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import re
import signal
import ssl
import subprocess
import sys
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult


class Sink:
    def __init__(self, args):
        self.args = args
        self.temp = re.compile(args.temp_fail) if args.temp_fail else None
        self.perm = re.compile(args.perm_fail) if args.perm_fail else None
        self.counter = 0
        self.connections = 0
        self.drops_left = args.drop_after_data

    def connected(self):
        """Counts SMTP connections in OUT_DIR/connections (shows connection reuse)."""
        self.connections += 1
        self._write('connections', b'%d\n' % self.connections)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.perm and self.perm.search(address):
            return '550 5.1.1 <%s>: mailbox unavailable (sink --perm-fail)' % address
        if self.temp and self.temp.search(address):
            return '451 4.3.0 <%s>: try again later (sink --temp-fail)' % address
        envelope.rcpt_tos.append(address)
        return '250 2.1.5 OK'

    async def handle_DATA(self, server, session, envelope):
        self.counter += 1
        if self.args.count_only:
            return '250 2.0.0 OK'
        name = '%020d-%d-%06d' % (time.time_ns(), os.getpid(), self.counter)
        raw = envelope.original_content or envelope.content
        self._write(name + '.eml', raw)
        ssl_object = server.transport.get_extra_info('ssl_object')
        record = {'mail_from': envelope.mail_from, 'rcpt_tos': envelope.rcpt_tos,
                  'size': len(raw), 'tls': ssl_object is not None,
                  'auth': session.authenticated}
        if not self.args.no_parse:
            record.update(describe(raw))
        self._write(name + '.json', json.dumps(record, ensure_ascii=False).encode('utf-8'))
        if self.drops_left > 0:
            self.drops_left -= 1
            server.transport.abort()
            return '250 2.0.0 never seen: the connection is gone'
        return '250 2.0.0 OK queued as %s' % name

    def _write(self, name, data):
        tmp = os.path.join(self.args.out_dir, '.' + name + '.tmp')
        with open(tmp, 'wb') as f:
            f.write(data)
        os.replace(tmp, os.path.join(self.args.out_dir, name))


def describe(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    defects = []
    for part in msg.walk():
        defects.extend(type(d).__name__ for d in part.defects)
    out = {
        'headers': [[k, str(v)] for k, v in msg.items()],
        'subject': str(msg.get('subject', '')),
        'message_id': str(msg.get('message-id', '')),
        'content_type': msg.get_content_type(),
        'defects': defects,
    }
    for kind in ('plain', 'html'):
        body = msg.get_body(preferencelist=(kind,))
        if body is not None and body.get_content_type() == 'text/' + kind:
            # Line breaks as LF, so tests compare text, not transfer framing.
            out[kind] = body.get_content().replace('\r\n', '\n')
    return out


class CountingSMTP(SMTP):
    def connection_made(self, transport):
        # After STARTTLS this runs again for the same connection: count it once.
        upgraded = getattr(self, '_original_transport', None) is not None
        super().connection_made(transport)
        if not upgraded:
            self.event_handler.connected()


class Down(asyncio.Protocol):
    def connection_made(self, transport):
        transport.write(b'421 4.3.2 Service not available (sink is down)\r\n')
        transport.close()


def tls_context(directory):
    os.makedirs(directory, exist_ok=True)
    cert = os.path.join(directory, 'cert.pem')
    key = os.path.join(directory, 'key.pem')
    if not os.path.exists(cert):
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
                        'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
                        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
                        '-keyout', key, '-out', cert + '.tmp'],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.replace(cert + '.tmp', cert)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--port-file', required=True)
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--temp-fail')
    parser.add_argument('--perm-fail')
    parser.add_argument('--drop-after-data', type=int, default=0)
    parser.add_argument('--down', action='store_true')
    parser.add_argument('--down-file')
    parser.add_argument('--auth')
    parser.add_argument('--tls-dir')
    parser.add_argument('--implicit-tls', action='store_true')
    parser.add_argument('--no-parse', action='store_true')
    parser.add_argument('--verbose', action='store_true')
    parser.add_argument('--count-only', action='store_true')
    args = parser.parse_args()
    # aiosmtpd warns about AUTH without TLS; the sink is loopback-only by design.
    warnings.filterwarnings('ignore')
    # Session errors the tests provoke on purpose (a refused certificate) would
    # print tracebacks; --verbose shows them when debugging the sink.
    logging.getLogger('mail.log').setLevel(logging.DEBUG if args.verbose else logging.CRITICAL)
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG)
    os.makedirs(args.out_dir, exist_ok=True)

    handler = Sink(args)
    smtp_kwargs = {'hostname': 'sink.test', 'decode_data': False,
                   'data_size_limit': 10 * 1024 * 1024}
    if args.auth:
        user, _, password = args.auth.partition(':')

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (auth_data.login.decode() == user and auth_data.password.decode() == password)
            return AuthResult(success=ok, handled=False)
        smtp_kwargs.update(authenticator=authenticator, auth_required=True,
                           auth_require_tls=False)

    context = tls_context(args.tls_dir) if args.tls_dir else None
    if context and not args.implicit_tls:
        smtp_kwargs['tls_context'] = context

    def factory():
        if args.down or (args.down_file and os.path.exists(args.down_file)):
            return Down()
        return CountingSMTP(handler, **smtp_kwargs)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(factory, host='127.0.0.1', port=args.port, reuse_address=True,
                           ssl=context if args.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    tmp = args.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write('%d\n' % port)
    os.replace(tmp, args.port_file)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        tasks = asyncio.all_tasks(loop)
        for task in tasks:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
        loop.run_until_complete(server.wait_closed())
        loop.close()
        if args.count_only:
            handler._write('received', b'%d\n' % handler.counter)
    return 0


if __name__ == '__main__':
    sys.exit(main())
