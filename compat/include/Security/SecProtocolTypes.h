/*
 * SecProtocolTypes.h: SSLProtocol (the Secure Transport version values) and
 * the Network.framework-era tls_* types that SecureTransport.h pulls in.
 * Apple-compatible declarations for sectrans; no Apple code included.
 */
#ifndef _SECURITY_SECPROTOCOLTYPES_H_
#define _SECURITY_SECPROTOCOLTYPES_H_

#include <CoreFoundation/CoreFoundation.h>

CF_EXTERN_C_BEGIN

typedef CF_ENUM(uint16_t, tls_protocol_version_t) {
    tls_protocol_version_TLSv10 = 0x0301,
    tls_protocol_version_TLSv11 = 0x0302,
    tls_protocol_version_TLSv12 = 0x0303,
    tls_protocol_version_TLSv13 = 0x0304,
    tls_protocol_version_DTLSv10 = 0xFEFF,
    tls_protocol_version_DTLSv12 = 0xFEFD
};

typedef CF_ENUM(uint16_t, tls_ciphersuite_t) {
    tls_ciphersuite_RSA_WITH_3DES_EDE_CBC_SHA = 0x000A,
    tls_ciphersuite_RSA_WITH_AES_128_CBC_SHA = 0x002F,
    tls_ciphersuite_RSA_WITH_AES_256_CBC_SHA = 0x0035,
    tls_ciphersuite_RSA_WITH_AES_128_GCM_SHA256 = 0x009C,
    tls_ciphersuite_RSA_WITH_AES_256_GCM_SHA384 = 0x009D,
    tls_ciphersuite_RSA_WITH_AES_128_CBC_SHA256 = 0x003C,
    tls_ciphersuite_RSA_WITH_AES_256_CBC_SHA256 = 0x003D,
    tls_ciphersuite_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA = 0xC008,
    tls_ciphersuite_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = 0xC009,
    tls_ciphersuite_ECDHE_ECDSA_WITH_AES_256_CBC_SHA = 0xC00A,
    tls_ciphersuite_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA = 0xC012,
    tls_ciphersuite_ECDHE_RSA_WITH_AES_128_CBC_SHA = 0xC013,
    tls_ciphersuite_ECDHE_RSA_WITH_AES_256_CBC_SHA = 0xC014,
    tls_ciphersuite_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = 0xC023,
    tls_ciphersuite_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 = 0xC024,
    tls_ciphersuite_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = 0xC027,
    tls_ciphersuite_ECDHE_RSA_WITH_AES_256_CBC_SHA384 = 0xC028,
    tls_ciphersuite_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02B,
    tls_ciphersuite_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02C,
    tls_ciphersuite_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xC02F,
    tls_ciphersuite_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xC030,
    tls_ciphersuite_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA8,
    tls_ciphersuite_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA9,
    tls_ciphersuite_AES_128_GCM_SHA256 = 0x1301,
    tls_ciphersuite_AES_256_GCM_SHA384 = 0x1302,
    tls_ciphersuite_CHACHA20_POLY1305_SHA256 = 0x1303
};

typedef CF_ENUM(uint16_t, tls_ciphersuite_group_t) {
    tls_ciphersuite_group_default = 0,
    tls_ciphersuite_group_compatibility = 1,
    tls_ciphersuite_group_legacy = 2,
    tls_ciphersuite_group_ats = 3,
    tls_ciphersuite_group_ats_compatibility = 4
};

/* Not ordered by version: compare SSLProtocol values for equality only. */
typedef CF_ENUM(int, SSLProtocol) {
    kSSLProtocolUnknown = 0,
    kTLSProtocol1 = 4,
    kTLSProtocol11 = 7,
    kTLSProtocol12 = 8,
    kDTLSProtocol1 = 9,
    kTLSProtocol13 = 10,
    kDTLSProtocol12 = 11,
    kTLSProtocolMaxSupported = 999,
    kSSLProtocol2 = 1,
    kSSLProtocol3 = 2,
    kSSLProtocol3Only = 3,
    kTLSProtocol1Only = 5,
    kSSLProtocolAll = 6
};

CF_EXTERN_C_END

#endif
