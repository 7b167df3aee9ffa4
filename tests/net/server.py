#!/usr/bin/env python3
"""A small HTTP server for redpen's URL tests (standard library only).

It binds to 127.0.0.1 on a free port and serves:
  /examples/NAME      200, the file transcripts/examples/NAME
  /missing            404
  /to-file, /to-ftp   302 to a file:// or ftp:// URL (must be refused)
  /nowhere            302 without a Location
  /chain/K            302 to /chain/K+1 until K reaches 10, then a transcript
                      (so /chain/0 takes 10 redirects and /chain/6 takes 4)
  /big                200, 2 MB of text without a Content-Length
  /declared-huge      200 announcing a 300 MB Content-Length (the body never comes)
  /slow               200, one line per second for a minute
  /binary             200, bytes with NULs

Use start() from a test, or run this file to serve until interrupted.
"""
import http.server
import os
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLES = os.path.join(REPO, "transcripts", "examples")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def send_body(self, code, body, ctype="text/plain; charset=utf-8"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, where):
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        p = self.path
        try:
            if p.startswith("/examples/"):
                name = os.path.basename(p)
                path = os.path.join(EXAMPLES, name)
                if not os.path.isfile(path):
                    return self.send_body(404, b"not found\n")
                with open(path, "rb") as f:
                    return self.send_body(200, f.read(), "application/json")
            if p == "/missing":
                return self.send_body(404, b"no such transcript\n")
            if p == "/to-file":
                return self.redirect("file:///etc/passwd")
            if p == "/to-ftp":
                return self.redirect("ftp://127.0.0.1/transcript.json")
            if p == "/nowhere":
                return self.send_body(302, b"moved, but not saying where\n")
            if p.startswith("/chain/"):
                k = int(p.split("/")[2])
                if k < 10:
                    return self.redirect("/chain/%d" % (k + 1))
                return self.do_example("openai-messages.json")
            if p == "/big":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Connection", "close")
                self.end_headers()
                line = b"You said: this line repeats to make a large body\n"
                for _ in range(2 * 1024 * 1024 // len(line)):
                    self.wfile.write(line)
                self.close_connection = True
                return
            if p == "/declared-huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(300 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"x" * 1024)
                self.close_connection = True
                return
            if p == "/slow":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(60):
                    self.wfile.write(b"You said: still coming\n")
                    self.wfile.flush()
                    time.sleep(1)
                self.close_connection = True
                return
            if p == "/binary":
                return self.send_body(200, b"\x00\x01\x02binary\x00", "application/octet-stream")
            return self.send_body(404, b"unknown path\n")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_example(self, name):
        with open(os.path.join(EXAMPLES, name), "rb") as f:
            self.send_body(200, f.read(), "application/json")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def start():
    """Start a server on 127.0.0.1 and a free port; returns (server, base URL).
    Stop it with server.shutdown(); server.server_close()."""
    srv = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, "http://127.0.0.1:%d" % srv.server_address[1]


if __name__ == "__main__":
    s, base = start()
    print(base, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        s.shutdown()
