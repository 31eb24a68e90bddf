"""An I/O-bound client: asks a server on a loopback socket and waits for
each answer. Usage: client.py PORT REQUESTS."""
import socket
import sys

port, requests = int(sys.argv[1]), int(sys.argv[2])
with socket.create_connection(("127.0.0.1", port)) as conn:
    for _ in range(requests):
        conn.sendall(b"ping\n")
        if not conn.recv(64):
            break
