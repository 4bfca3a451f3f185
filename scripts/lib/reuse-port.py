# Several servers on one port: runs COUNT copies of COMMAND, each with its own listening socket on
# HOST:PORT as fd 3 (`npm start -- --socket-fd http=3`). The sockets are bound with SO_REUSEPORT, so
# the kernel spreads new connections evenly over the processes and workerd (one thread a process)
# can use more than one core; workerd itself has no option to set SO_REUSEPORT.
# Usage: /usr/bin/python3 scripts/lib/reuse-port.py HOST PORT COUNT COMMAND [ARGS...]
import os
import signal
import socket
import subprocess
import sys

host, port, count, command = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
# A Durable Object must live in one process, or a user's ledger would exist once per process.
if count > 1 and os.environ.get("DURABLE_OBJECTS", "").lower() not in ("false", "0"):
    sys.exit("reuse-port.py: several processes need DURABLE_OBJECTS=false")


def listener():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


# All sockets are bound before any child starts, so none of them can miss a connection.
sockets = [listener() for _ in range(count)]
children = []
for sock in sockets:
    os.dup2(sock.fileno(), 3)  # the same fd number in every child
    os.set_inheritable(3, True)
    children.append(subprocess.Popen(command, pass_fds=[3]))
signal.signal(signal.SIGTERM, lambda *_: [c.terminate() for c in children])
sys.exit(max(c.wait() for c in children))
