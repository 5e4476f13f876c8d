import socket,sys
host,port,w=sys.argv[1],int(sys.argv[2]),sys.argv[3].encode()
s=socket.create_connection((host,port),2); s.sendall(w); d=b''
while True:
    x=s.recv(4096)
    if not x: break
    d+=x
sys.stdout.write(d.decode())
