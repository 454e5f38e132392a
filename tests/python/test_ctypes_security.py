"""A program that loads the frameworks by name, as Python bindings of Secure
Transport do: ctypes.util.find_library("Security") and ("CoreFoundation"),
with LD_LIBRARY_PATH pointing at the build's lib directory. It builds CFData
and CFArray objects, creates certificates from DER made by the openssl
command, and evaluates a trust, without knowing it runs on Linux.

Usage: test_ctypes_security.py   (LD_LIBRARY_PATH must hold libSecurity.so)
"""

import ctypes
import ctypes.util
import os
import subprocess
import sys
import tempfile
import unittest

SECURITY = ctypes.util.find_library("Security")
COREFOUNDATION = ctypes.util.find_library("CoreFoundation")

CFTypeRef = ctypes.c_void_p
CFIndex = ctypes.c_long
OSStatus = ctypes.c_int32
kCFStringEncodingUTF8 = 0x08000100
errSecSuccess = 0
errSecParam = -50
errSecNotTrusted = -67843
errSecHostNameMismatch = -67602
kSecTrustResultUnspecified = 4
kSecTrustResultRecoverableTrustFailure = 5


class CFArrayCallBacks(ctypes.Structure):
    _fields_ = [
        ("version", CFIndex),
        ("retain", ctypes.c_void_p),
        ("release", ctypes.c_void_p),
        ("copyDescription", ctypes.c_void_p),
        ("equal", ctypes.c_void_p),
    ]


def declare(lib, name, restype, *argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    return fn


def make_chain(directory):
    """A root CA and a leaf for host.test signed by it, as DER bytes."""

    def run(*args):
        subprocess.run(["openssl", *args], cwd=directory, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
        "-subj", "/CN=ctypes root", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=host.test")
    with open(os.path.join(directory, "ext.cnf"), "w") as ext:
        ext.write("subjectAltName=DNS:host.test\nextendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "30", "-extfile", "ext.cnf", "-out", "leaf.pem")
    ders = []
    for name in ("leaf.pem", "ca.pem"):
        out = subprocess.run(["openssl", "x509", "-in", name, "-outform", "DER"],
                             cwd=directory, check=True, capture_output=True)
        ders.append(out.stdout)
    return ders


class FrameworksByName(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        assert SECURITY and COREFOUNDATION, "find_library found no Security/CoreFoundation"
        cls.sec = ctypes.CDLL(SECURITY)
        cls.cf = ctypes.CDLL(COREFOUNDATION)
        cf, sec = cls.cf, cls.sec
        cls.CFRelease = declare(cf, "CFRelease", None, CFTypeRef)
        cls.CFGetRetainCount = declare(cf, "CFGetRetainCount", CFIndex, CFTypeRef)
        cls.CFGetTypeID = declare(cf, "CFGetTypeID", ctypes.c_ulong, CFTypeRef)
        cls.CFDataCreate = declare(cf, "CFDataCreate", CFTypeRef, CFTypeRef,
                                   ctypes.c_char_p, CFIndex)
        cls.CFDataGetLength = declare(cf, "CFDataGetLength", CFIndex, CFTypeRef)
        cls.CFArrayCreate = declare(cf, "CFArrayCreate", CFTypeRef, CFTypeRef,
                                    ctypes.POINTER(CFTypeRef), CFIndex,
                                    ctypes.POINTER(CFArrayCallBacks))
        cls.CFArrayGetCount = declare(cf, "CFArrayGetCount", CFIndex, CFTypeRef)
        cls.CFStringCreateWithCString = declare(cf, "CFStringCreateWithCString", CFTypeRef,
                                                CFTypeRef, ctypes.c_char_p, ctypes.c_uint32)
        cls.CFStringGetCString = declare(cf, "CFStringGetCString", ctypes.c_ubyte, CFTypeRef,
                                         ctypes.c_char_p, CFIndex, ctypes.c_uint32)
        cls.CFErrorGetCode = declare(cf, "CFErrorGetCode", CFIndex, CFTypeRef)
        cls.SecCertificateCreateWithData = declare(sec, "SecCertificateCreateWithData",
                                                   CFTypeRef, CFTypeRef, CFTypeRef)
        cls.SecCertificateGetTypeID = declare(sec, "SecCertificateGetTypeID", ctypes.c_ulong)
        cls.SecCertificateCopySubjectSummary = declare(sec, "SecCertificateCopySubjectSummary",
                                                       CFTypeRef, CFTypeRef)
        cls.SecPolicyCreateSSL = declare(sec, "SecPolicyCreateSSL", CFTypeRef, ctypes.c_ubyte,
                                         CFTypeRef)
        cls.SecTrustCreateWithCertificates = declare(sec, "SecTrustCreateWithCertificates",
                                                     OSStatus, CFTypeRef, CFTypeRef,
                                                     ctypes.POINTER(CFTypeRef))
        cls.SecTrustSetAnchorCertificates = declare(sec, "SecTrustSetAnchorCertificates",
                                                    OSStatus, CFTypeRef, CFTypeRef)
        cls.SecTrustEvaluate = declare(sec, "SecTrustEvaluate", OSStatus, CFTypeRef,
                                       ctypes.POINTER(ctypes.c_uint32))
        cls.SecTrustEvaluateWithError = declare(sec, "SecTrustEvaluateWithError", ctypes.c_bool,
                                                CFTypeRef, ctypes.POINTER(CFTypeRef))
        cls.SecTrustGetCertificateCount = declare(sec, "SecTrustGetCertificateCount", CFIndex,
                                                  CFTypeRef)
        cls.SSLCreateContext = declare(sec, "SSLCreateContext", CFTypeRef, CFTypeRef,
                                       ctypes.c_int, ctypes.c_int)
        cls.SSLSetPeerDomainName = declare(sec, "SSLSetPeerDomainName", OSStatus, CFTypeRef,
                                           ctypes.c_char_p, ctypes.c_size_t)
        cls.SSLContextGetTypeID = declare(sec, "SSLContextGetTypeID", ctypes.c_ulong)
        # Data symbols, by address, as ctypes clients pass them.
        cls.callbacks = CFArrayCallBacks.in_dll(cf, "kCFTypeArrayCallBacks")
        cls.kCFAllocatorDefault = ctypes.c_void_p.in_dll(cf, "kCFAllocatorDefault")
        with tempfile.TemporaryDirectory() as directory:
            cls.leaf_der, cls.root_der = make_chain(directory)

    def cfstring(self, text):
        return self.CFStringCreateWithCString(None, text.encode(), kCFStringEncodingUTF8)

    def text_of(self, cfstr):
        buf = ctypes.create_string_buffer(256)
        self.assertEqual(self.CFStringGetCString(cfstr, buf, 256, kCFStringEncodingUTF8), 1)
        return buf.value.decode()

    def certificate(self, der):
        data = self.CFDataCreate(self.kCFAllocatorDefault, der, len(der))
        self.assertEqual(self.CFDataGetLength(data), len(der))
        cert = self.SecCertificateCreateWithData(None, data)
        self.CFRelease(data)
        self.assertTrue(cert)
        self.assertEqual(self.CFGetTypeID(cert), self.SecCertificateGetTypeID())
        return cert

    def array(self, *objects):
        values = (CFTypeRef * len(objects))(*objects)
        array = self.CFArrayCreate(None, values, len(objects), ctypes.byref(self.callbacks))
        self.assertEqual(self.CFArrayGetCount(array), len(objects))
        return array

    def test_same_object_under_both_names(self):
        # find_library answers with the SONAME the links resolve to: one library.
        self.assertEqual(os.path.basename(SECURITY), "libsectrans.so.1")
        self.assertEqual(os.path.basename(COREFOUNDATION), "libsectrans.so.1")
        self.assertEqual(ctypes.cast(self.sec.CFRelease, ctypes.c_void_p).value,
                         ctypes.cast(self.cf.CFRelease, ctypes.c_void_p).value)
        self.assertIsNone(self.kCFAllocatorDefault.value)

    def trust_for(self, host):
        leaf = self.certificate(self.leaf_der)
        root = self.certificate(self.root_der)
        name = self.cfstring(host)
        policy = self.SecPolicyCreateSSL(1, name)
        certs = self.array(leaf)
        trust = CFTypeRef()
        self.assertEqual(self.SecTrustCreateWithCertificates(certs, policy, ctypes.byref(trust)),
                         errSecSuccess)
        anchors = self.array(root)
        self.assertEqual(self.SecTrustSetAnchorCertificates(trust, anchors), errSecSuccess)
        # The arrays hold their own references: release ours.
        self.assertEqual(self.CFGetRetainCount(root), 2)
        summary = self.SecCertificateCopySubjectSummary(leaf)
        self.assertEqual(self.text_of(summary), "host.test")
        for obj in (summary, anchors, certs, policy, name, root, leaf):
            self.CFRelease(obj)
        return trust

    def test_trust_evaluates(self):
        trust = self.trust_for("host.test")
        result = ctypes.c_uint32(99)
        self.assertEqual(self.SecTrustEvaluate(trust, ctypes.byref(result)), errSecSuccess)
        self.assertEqual(result.value, kSecTrustResultUnspecified)
        self.assertEqual(self.SecTrustGetCertificateCount(trust), 2)
        error = CFTypeRef(1)
        self.assertTrue(self.SecTrustEvaluateWithError(trust, ctypes.byref(error)))
        self.assertIsNone(error.value)
        self.CFRelease(trust)

    def test_wrong_host_is_refused(self):
        trust = self.trust_for("other.test")
        result = ctypes.c_uint32(99)
        self.assertEqual(self.SecTrustEvaluate(trust, ctypes.byref(result)), errSecSuccess)
        self.assertEqual(result.value, kSecTrustResultRecoverableTrustFailure)
        error = CFTypeRef()
        self.assertFalse(self.SecTrustEvaluateWithError(trust, ctypes.byref(error)))
        self.assertEqual(self.CFErrorGetCode(error), errSecHostNameMismatch)
        self.CFRelease(error)
        self.CFRelease(trust)

    def test_secure_transport_context(self):
        ctx = self.SSLCreateContext(None, 1, 0)
        self.assertEqual(self.CFGetTypeID(ctx), self.SSLContextGetTypeID())
        self.assertEqual(self.SSLSetPeerDomainName(ctx, b"host.test", 9), errSecSuccess)
        self.CFRelease(ctx)
        self.assertEqual(self.SSLSetPeerDomainName(ctx, b"host.test", 9), errSecParam)


    def test_strings_and_file_urls(self):
        """UTF-16 in, a case-insensitive comparison, a file read back through a URL."""
        cf = self.cf
        with_characters = declare(cf, "CFStringCreateWithCharacters", CFTypeRef, CFTypeRef,
                                  ctypes.POINTER(ctypes.c_uint16), CFIndex)
        compare = declare(cf, "CFStringCompare", CFIndex, CFTypeRef, CFTypeRef, ctypes.c_ulong)
        url_for = declare(cf, "CFURLCreateFromFileSystemRepresentation", CFTypeRef, CFTypeRef,
                          ctypes.c_char_p, CFIndex, ctypes.c_ubyte)
        read = declare(cf, "CFURLCreateDataAndPropertiesFromResource", ctypes.c_ubyte,
                       CFTypeRef, CFTypeRef, ctypes.POINTER(CFTypeRef),
                       ctypes.POINTER(CFTypeRef), CFTypeRef, ctypes.POINTER(ctypes.c_int32))
        units = (ctypes.c_uint16 * 4)(0x63, 0xE9, 0xD83D, 0xDE00)
        text = with_characters(None, units, 4)
        self.assertEqual(self.text_of(text), "c\u00e9\U0001F600")
        upper = self.cfstring("C\u00c9\U0001F600")
        self.assertEqual(compare(text, upper, 1), 0)  # kCFCompareCaseInsensitive
        self.assertEqual(compare(text, upper, 0), 1)
        self.CFRelease(upper)
        self.CFRelease(text)
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"\x00bytes\xff")
            f.flush()
            path = f.name.encode()
            url = url_for(None, path, len(path), 0)
            data, error = CFTypeRef(), ctypes.c_int32(99)
            self.assertEqual(read(None, url, ctypes.byref(data), None, None, ctypes.byref(error)), 1)
            self.assertEqual(error.value, 0)
            self.assertEqual(self.CFDataGetLength(data), 7)
            self.CFRelease(data)
            self.CFRelease(url)

if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
