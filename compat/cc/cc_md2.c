/*
 * CC_MD2 (RFC 1319). OpenSSL 3 is built without MD2 (no provider has it),
 * so the digest is computed here, in Apple's CC_MD2_CTX: state[] and cksm[]
 * hold one byte per word, data[] the partial block, num its length.
 */
#include <openssl/crypto.h>
#include <string.h>

#include "cc_internal.h"

#define MD2_BLOCK 16

/* RFC 1319 §3.2: the permutation of 0..255 built from the digits of pi. */
static const unsigned char md2_s[256] = {
    41,  46,  67,  201, 162, 216, 124, 1,   61,  54,  84,  161, 236, 240, 6,   19,  98,  167, 5,
    243, 192, 199, 115, 140, 152, 147, 43,  217, 188, 76,  130, 202, 30,  155, 87,  60,  253, 212,
    224, 22,  103, 66,  111, 24,  138, 23,  229, 18,  190, 78,  196, 214, 218, 158, 222, 73,  160,
    251, 245, 142, 187, 47,  238, 122, 169, 104, 121, 145, 21,  178, 7,   63,  148, 194, 16,  137,
    11,  34,  95,  33,  128, 127, 93,  154, 90,  144, 50,  39,  53,  62,  204, 231, 191, 247, 151,
    3,   255, 25,  48,  179, 72,  165, 181, 209, 215, 94,  146, 42,  172, 86,  170, 198, 79,  184,
    56,  210, 150, 164, 125, 182, 118, 252, 107, 226, 156, 116, 4,   241, 69,  157, 112, 89,  100,
    113, 135, 32,  134, 91,  207, 101, 230, 45,  168, 2,   27,  96,  37,  173, 174, 176, 185, 246,
    28,  70,  97,  105, 52,  64,  126, 15,  85,  71,  163, 35,  221, 81,  175, 58,  195, 92,  249,
    206, 186, 197, 234, 38,  44,  83,  13,  110, 133, 40,  132, 9,   211, 223, 205, 244, 65,  129,
    77,  82,  106, 220, 55,  200, 108, 193, 171, 250, 36,  225, 123, 8,   12,  189, 177, 74,  120,
    136, 149, 139, 227, 99,  232, 109, 233, 203, 213, 254, 59,  0,   29,  57,  242, 239, 183, 14,
    102, 88,  208, 228, 166, 119, 114, 248, 235, 117, 75,  10,  49,  68,  80,  180, 143, 237, 31,
    26,  219, 153, 141, 51,  159, 17,  131, 20};

/* RFC 1319 §3.2 and §3.4 (with the erratum: the checksum byte is XORed, not set). */
static void md2_block(CC_MD2_CTX *c, const unsigned char *block, int update_checksum)
{
    unsigned char x[48];
    for (int i = 0; i < 16; i++) {
        x[i] = (unsigned char)c->state[i];
        x[16 + i] = block[i];
        x[32 + i] = (unsigned char)(x[i] ^ block[i]);
    }
    unsigned t = 0;
    for (unsigned round = 0; round < 18; round++) {
        for (int k = 0; k < 48; k++)
            t = x[k] ^= md2_s[t];
        t = (t + round) & 0xff;
    }
    for (int i = 0; i < 16; i++)
        c->state[i] = x[i];
    if (update_checksum) {
        unsigned last = c->cksm[15];
        for (int i = 0; i < 16; i++)
            last = c->cksm[i] ^= md2_s[block[i] ^ last];
    }
    OPENSSL_cleanse(x, sizeof(x));
}

int CC_MD2_Init(CC_MD2_CTX *c)
{
    if (c == NULL)
        return 0;
    memset(c, 0, sizeof(*c));
    return 1;
}

int CC_MD2_Update(CC_MD2_CTX *c, const void *data, CC_LONG len)
{
    if (c == NULL || (data == NULL && len != 0) || c->num < 0 || c->num >= MD2_BLOCK)
        return 0;
    const unsigned char *p = data;
    while (len > 0) {
        CC_LONG take = MD2_BLOCK - (CC_LONG)c->num;
        if (take > len)
            take = len;
        memcpy(c->data + c->num, p, take);
        c->num += (int)take;
        p += take;
        len -= take;
        if (c->num == MD2_BLOCK) {
            md2_block(c, c->data, 1);
            c->num = 0;
        }
    }
    return 1;
}

int CC_MD2_Final(unsigned char *md, CC_MD2_CTX *c)
{
    if (md == NULL || c == NULL || c->num < 0 || c->num >= MD2_BLOCK)
        return 0;
    /* §3.1: i bytes of value i, 1 <= i <= 16; then §3.3: the checksum as a last block. */
    unsigned char pad = (unsigned char)(MD2_BLOCK - c->num);
    memset(c->data + c->num, pad, pad);
    md2_block(c, c->data, 1);
    unsigned char checksum[MD2_BLOCK];
    for (int i = 0; i < MD2_BLOCK; i++)
        checksum[i] = (unsigned char)c->cksm[i];
    md2_block(c, checksum, 0);
    for (int i = 0; i < MD2_BLOCK; i++)
        md[i] = (unsigned char)c->state[i];
    OPENSSL_cleanse(c, sizeof(*c));
    return 1;
}

unsigned char *CC_MD2(const void *data, CC_LONG len, unsigned char *md)
{
    CC_MD2_CTX c;
    if (md == NULL || (data == NULL && len != 0))
        return NULL;
    CC_MD2_Init(&c);
    CC_MD2_Update(&c, data, len);
    CC_MD2_Final(md, &c);
    return md;
}
