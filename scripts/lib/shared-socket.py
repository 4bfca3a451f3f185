# Several servers on one listening socket: binds HOST:PORT once, then runs COUNT copies of COMMAND
# with the socket as fd 3 (`npm start -- --socket-fd http=3`). The kernel hands each new connection
# to whichever process accepts first, so workerd (one thread a process) can use more than one core.
# Usage: /usr/bin/python3 scripts/lib/shared-socket.py HOST PORT COUNT COMMAND [ARGS...]
import os
import signal
import socket
import subprocess
import sys

host, port, count, command = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind((host, port))
listener.listen(1024)
os.dup2(listener.fileno(), 3)  # the same fd number in every child
os.set_inheritable(3, True)
# A Durable Object must live in one process, or a user's ledger would exist once per process.
if count > 1 and os.environ.get("DURABLE_OBJECTS", "").lower() not in ("false", "0"):
    sys.exit("shared-socket.py: several processes need DURABLE_OBJECTS=false")
children = [subprocess.Popen(command, pass_fds=[3]) for _ in range(count)]
signal.signal(signal.SIGTERM, lambda *_: [c.terminate() for c in children])
sys.exit(max(c.wait() for c in children))
