#ifndef FELT_COPENSSL_SHIM_H
#define FELT_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/kdf.h>
#include <openssl/crypto.h>
#include <openssl/bio.h>

/* Function-like macros are invisible to Swift; these wrappers expose them. */

static inline int felt_EVP_MD_CTX_size(const EVP_MD_CTX *ctx) { return EVP_MD_CTX_get_size(ctx); }
static inline const EVP_MD *felt_EVP_sha256(void) { return EVP_sha256(); }
static inline const EVP_MD *felt_EVP_sha1(void) { return EVP_sha1(); }
static inline int felt_EVP_PKEY_size(const EVP_PKEY *pkey) { return EVP_PKEY_get_size(pkey); }
static inline void felt_OPENSSL_free(void *ptr) { OPENSSL_free(ptr); }
static inline int felt_BIO_reset(BIO *bio) { return (int)BIO_reset(bio); }
static inline long felt_BIO_get_mem_data(BIO *bio, char **pp) { return BIO_get_mem_data(bio, pp); }

#endif
