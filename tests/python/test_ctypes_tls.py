"""A Secure Transport TLS client written in Python with ctypes, the way
Python bindings of Secure Transport are: the frameworks loaded by name, the
I/O callbacks as CFUNCTYPE functions over a socket, and SSLHandshake,
SSLWrite, SSLRead and SSLClose driven from Python. It fetches the status
page of `openssl s_server -www` on 127.0.0.1, once trusting the test CA
and once not.

Usage: test_ctypes_tls.py SOURCE-DIR   (LD_LIBRARY_PATH must hold libSecurity.so)
"""

import ctypes
import ctypes.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE_DIR = sys.argv.pop(1) if len(sys.argv) > 1 else "."
Security = ctypes.CDLL(ctypes.util.find_library("Security"))
CoreFoundation = ctypes.CDLL(ctypes.util.find_library("CoreFoundation"))

OSStatus = ctypes.c_int32
CFTypeRef = ctypes.c_void_p
SSLContextRef = ctypes.c_void_p
SSLConnectionRef = ctypes.c_void_p
kSSLClientSide, kSSLStreamType = 1, 0
kSSLConnected = 2
kSecFormatPEMSequence, kSecItemTypeCertificate = 10, 4
kCFStringEncodingUTF8 = 0x08000100
errSSLWouldBlock, errSSLClosedGraceful, errSSLClosedAbort = -9803, -9805, -9806
errSSLXCertChainInvalid = -9807

SSLReadFunc = ctypes.CFUNCTYPE(OSStatus, SSLConnectionRef, ctypes.c_void_p,
                               ctypes.POINTER(ctypes.c_size_t))
SSLWriteFunc = ctypes.CFUNCTYPE(OSStatus, SSLConnectionRef, ctypes.c_void_p,
                                ctypes.POINTER(ctypes.c_size_t))


def declare(lib, name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


SSLCreateContext = declare(Security, "SSLCreateContext", SSLContextRef, CFTypeRef,
                           ctypes.c_int, ctypes.c_int)
SSLSetIOFuncs = declare(Security, "SSLSetIOFuncs", OSStatus, SSLContextRef, SSLReadFunc,
                        SSLWriteFunc)
SSLSetConnection = declare(Security, "SSLSetConnection", OSStatus, SSLContextRef,
                           SSLConnectionRef)
SSLSetPeerDomainName = declare(Security, "SSLSetPeerDomainName", OSStatus, SSLContextRef,
                               ctypes.c_char_p, ctypes.c_size_t)
SSLSetTrustedRoots = declare(Security, "SSLSetTrustedRoots", OSStatus, SSLContextRef,
                             CFTypeRef, ctypes.c_ubyte)
SSLHandshake = declare(Security, "SSLHandshake", OSStatus, SSLContextRef)
SSLWrite = declare(Security, "SSLWrite", OSStatus, SSLContextRef, ctypes.c_void_p,
                   ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t))
SSLRead = declare(Security, "SSLRead", OSStatus, SSLContextRef, ctypes.c_void_p,
                  ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t))
SSLClose = declare(Security, "SSLClose", OSStatus, SSLContextRef)
SSLGetSessionState = declare(Security, "SSLGetSessionState", OSStatus, SSLContextRef,
                             ctypes.POINTER(ctypes.c_int))
SecItemImport = declare(Security, "SecItemImport", OSStatus, CFTypeRef, CFTypeRef,
                        ctypes.POINTER(ctypes.c_uint32), ctypes.POINTER(ctypes.c_uint32),
                        ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p,
                        ctypes.POINTER(CFTypeRef))
CFDataCreate = declare(CoreFoundation, "CFDataCreate", CFTypeRef, CFTypeRef, ctypes.c_char_p,
                       ctypes.c_long)
CFRelease = declare(CoreFoundation, "CFRelease", None, CFTypeRef)

# The callbacks find their socket through the connection ref, an index here.
sockets = {}


@SSLReadFunc
def read_callback(connection, data, length):
    sock = sockets[connection]
    wanted, got = length[0], b""
    status = 0
    while len(got) < wanted:
        try:
            chunk = sock.recv(wanted - len(got))
        except BlockingIOError:
            status = errSSLWouldBlock
            break
        except OSError:
            status = errSSLClosedAbort
            break
        if not chunk:
            status = errSSLClosedGraceful
            break
        got += chunk
    ctypes.memmove(data, got, len(got))
    length[0] = len(got)
    return status


@SSLWriteFunc
def write_callback(connection, data, length):
    sock = sockets[connection]
    try:
        sent = sock.send(ctypes.string_at(data, length[0]))
    except BlockingIOError:
        length[0] = 0
        return errSSLWouldBlock
    except OSError:
        length[0] = 0
        return errSSLClosedAbort
    status = 0 if sent == length[0] else errSSLWouldBlock
    length[0] = sent
    return status


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CtypesTLSClient(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        pki = cls.tmp.name
        subprocess.run([os.path.join(SOURCE_DIR, "tools", "make-pki"), pki], check=True)
        cls.port = free_port()
        cls.server = subprocess.Popen(
            ["openssl", "s_server", "-accept", "127.0.0.1:%d" % cls.port, "-www",
             "-cert", os.path.join(pki, "server.pem"), "-key", os.path.join(pki, "server.key")],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while b"ACCEPT" not in cls.server.stdout.readline():
            if time.time() > deadline or cls.server.poll() is not None:
                raise RuntimeError("openssl s_server did not start")
        with open(os.path.join(pki, "ca.pem"), "rb") as f:
            pem = f.read()
        data = CFDataCreate(None, pem, len(pem))
        fmt, kind = ctypes.c_uint32(kSecFormatPEMSequence), ctypes.c_uint32(kSecItemTypeCertificate)
        cls.roots = CFTypeRef()
        status = SecItemImport(data, None, ctypes.byref(fmt), ctypes.byref(kind), 0, None, None,
                               ctypes.byref(cls.roots))
        CFRelease(data)
        assert status == 0, status

    @classmethod
    def tearDownClass(cls):
        CFRelease(cls.roots)
        cls.server.terminate()
        cls.server.wait()
        cls.tmp.cleanup()

    def connect(self, trust_test_ca, blocking):
        sock = socket.create_connection(("127.0.0.1", self.port))
        sock.setblocking(blocking)
        ref = len(sockets) + 1
        sockets[ref] = sock
        self.addCleanup(sock.close)
        ctx = SSLCreateContext(None, kSSLClientSide, kSSLStreamType)
        self.assertTrue(ctx)
        self.addCleanup(CFRelease, ctx)
        self.assertEqual(SSLSetIOFuncs(ctx, read_callback, write_callback), 0)
        self.assertEqual(SSLSetConnection(ctx, ref), 0)
        self.assertEqual(SSLSetPeerDomainName(ctx, b"localhost", 9), 0)
        if trust_test_ca:
            self.assertEqual(SSLSetTrustedRoots(ctx, self.roots, 1), 0)
        return ctx, sock

    @staticmethod
    def until_done(call):
        for _ in range(100000):
            status = call()
            if status != errSSLWouldBlock:
                return status
            time.sleep(0.001)
        return errSSLWouldBlock

    def fetch(self, blocking):
        ctx, _ = self.connect(True, blocking)
        self.assertEqual(self.until_done(lambda: SSLHandshake(ctx)), 0)
        state = ctypes.c_int()
        SSLGetSessionState(ctx, ctypes.byref(state))
        self.assertEqual(state.value, kSSLConnected)
        request = b"GET / HTTP/1.0\r\n\r\n"
        processed = ctypes.c_size_t()
        status = SSLWrite(ctx, request, len(request), ctypes.byref(processed))
        self.assertIn(status, (0, errSSLWouldBlock))
        self.assertEqual(processed.value, len(request))
        if status == errSSLWouldBlock:
            self.assertEqual(self.until_done(lambda: SSLWrite(ctx, None, 0,
                                                              ctypes.byref(processed))), 0)
        page = b""
        buf = ctypes.create_string_buffer(16384)
        while True:
            status = SSLRead(ctx, buf, len(buf), ctypes.byref(processed))
            page += buf.raw[:processed.value]
            if status == errSSLWouldBlock:
                time.sleep(0.001)
                continue
            if status != 0:
                break
        self.assertIn(status, (errSSLClosedGraceful, errSSLClosedAbort))
        self.assertIn(b"HTTP/1.0 200 ok", page)
        SSLClose(ctx)

    def test_fetch_blocking(self):
        self.fetch(True)

    def test_fetch_nonblocking(self):
        self.fetch(False)

    def test_untrusted_server_is_refused(self):
        ctx, _ = self.connect(False, True)
        self.assertEqual(SSLHandshake(ctx), errSSLXCertChainInvalid)


if __name__ == "__main__":
    unittest.main()
