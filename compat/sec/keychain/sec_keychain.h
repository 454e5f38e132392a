/*
 * The keychain emulation, internal interface: the keychain object, its items,
 * its file, and the process-wide default keychain and search list.
 *
 * A keychain is a list of entries (certificates, keys, passwords with their
 * attributes) behind a mutex. A file keychain keeps its file up to date on
 * every change; its secrets (private keys, password data) are stored
 * encrypted under the keychain password and are readable only while it is
 * unlocked. An in-memory keychain (the default one) is always unlocked.
 */
#ifndef SECTRANS_SEC_KEYCHAIN_H
#define SECTRANS_SEC_KEYCHAIN_H

#include <pthread.h>
#include <stdint.h>

#include "sec_internal.h"

enum sec_item_kind {
    SEC_ITEM_CERTIFICATE,
    SEC_ITEM_PRIVATE_KEY,
    SEC_ITEM_PUBLIC_KEY,
    SEC_ITEM_GENERIC_PASSWORD,
    SEC_ITEM_INTERNET_PASSWORD,
};

struct sec_keychain_entry {
    uint64_t id; /* unique within its keychain object */
    enum sec_item_kind kind;
    CFTypeRef ref;                     /* NULL: a private key while locked */
    EVP_PKEY *public_key;              /* keys: the key, whose public half is always known */
    CFMutableDictionaryRef attributes; /* what was stored with the item: label, service... */
    CFDataRef secret;                  /* password data; NULL while locked or when none */
    char *stored;                      /* file keychains: the item as the file holds it */
};

#define SEC_KEYCHAIN_SALT_BYTES     16
#define SEC_KEYCHAIN_CHECK_BYTES    32
#define SEC_KEYCHAIN_ITEM_KEY_BYTES 32
/* Longer passwords are refused: a length that large is a caller's mistake. */
#define SEC_KEYCHAIN_MAX_PASSWORD   (1u << 20)

struct sec_keychain {
    struct cf_object base;
    pthread_mutex_t mutex;
    char *path;  /* NULL: in memory */
    bool loaded; /* entries reflect the file (always true in memory) */
    bool unlocked;
    /* From the file: its format version, and how the password is checked. */
    unsigned file_version;
    uint32_t kdf_iterations;
    unsigned char salt[SEC_KEYCHAIN_SALT_BYTES];
    unsigned char check[SEC_KEYCHAIN_CHECK_BYTES];
    /* While unlocked: the password (it encrypts new keys) and the password-item key. */
    unsigned char *password;
    size_t password_len;
    unsigned char item_key[SEC_KEYCHAIN_ITEM_KEY_BYTES];
    struct sec_keychain_entry *entries;
    size_t count, capacity;
    uint64_t next_id;
    /* SecKeychainSetSettings: kept for this object only (the file does not hold them). */
    bool lock_on_sleep;
    uint32_t lock_interval; /* INT_MAX: no lock interval */
};

/* The keychain behind a SecKeychainRef, or NULL for anything else. */
CF_INTERNAL struct sec_keychain *sec_keychain_of(CFTypeRef keychain);

/* +1 reference to the process's default keychain; NULL only when out of memory. */
CF_INTERNAL SecKeychainRef sec_keychain_copy_default(void);

/*
 * +1 reference to the process store, an in-memory keychain outside the search
 * list that keeps what SecItemImport imports without a keychain; made on
 * first need. NULL only when out of memory.
 */
CF_INTERNAL SecKeychainRef sec_keychain_copy_process_store(void);

/*
 * The keychains that `keychainOrArray` names, as a new array: NULL means the
 * search list, the default keychain and the process store. errSecInvalidKeychain if it is not a
 * keychain or an array of keychains.
 */
CF_INTERNAL OSStatus sec_keychain_resolve(CFTypeRef keychainOrArray, CFArrayRef *keychains);

/* Removes `ref` (compared with CFEqual) from every live keychain; false if none held it. */
CF_INTERNAL bool sec_keychain_remove_everywhere(CFTypeRef ref, OSStatus *status);

/*
 * Calls `fn` on the entry whose reference is `ref` (pointer identity), with
 * the registry lock and its keychain's mutex held; errSecInvalidItemRef if
 * no live keychain holds it, else what `fn` returns.
 */
typedef OSStatus (*sec_keychain_entry_fn)(struct sec_keychain *kc, struct sec_keychain_entry *entry,
                                          void *context);
CF_INTERNAL OSStatus sec_keychain_with_entry(CFTypeRef ref, sec_keychain_entry_fn fn,
                                             void *context);

/* --- Entries and password items (sec_keychain_entry.c): the ground floor. --- */

/* Frees what an entry owns. */
CF_INTERNAL void sec_keychain_entry_clear(struct sec_keychain_entry *entry);

/* A new password item of `kind` (+1). */
CF_INTERNAL CFTypeRef sec_password_item_create(enum sec_item_kind kind);

/* The kind of a password item, or false for anything else. */
CF_INTERNAL bool sec_password_item_kind(CFTypeRef item, enum sec_item_kind *kind);

/* The attributes that tell two passwords of `kind` apart (Apple's primary keys); their count. */
CF_INTERNAL size_t sec_password_key_attributes(enum sec_item_kind kind, CFStringRef keys[7]);

/* --- Entry operations (sec_keychain_store.c); each call takes the keychain's mutex. --- */

/* One item as a search sees it; owns references to everything it holds. */
struct sec_item_view {
    uint64_t id;
    enum sec_item_kind kind;
    CFTypeRef ref;              /* NULL: a private key of a locked keychain */
    EVP_PKEY *public_key;       /* keys only */
    CFDictionaryRef attributes; /* stored and derived attributes, with kSecClass */
    CFDataRef secret;           /* password data, NULL while locked or when none */
    bool locked;                /* it has a secret that is unreadable until an unlock */
    SecKeychainRef keychain;
};

struct sec_item_list {
    struct sec_item_view *items;
    size_t count, capacity;
};

/* Appends a view of every item of `keychain`; errSecNoSuchKeychain if its file is gone. */
CF_INTERNAL OSStatus sec_keychain_list_items(SecKeychainRef keychain, struct sec_item_list *list);
CF_INTERNAL void sec_item_list_free(struct sec_item_list *list);

/*
 * Views of the items of the keychains `keychainOrArray` names (NULL: the
 * search list, the default keychain and the process store). A keychain named explicitly must be
 * readable; those of the search list whose file is gone or damaged are
 * skipped.
 */
CF_INTERNAL OSStatus sec_keychain_collect(CFTypeRef keychainOrArray, struct sec_item_list *list);

/*
 * Adds an item (a certificate, a SecKeyRef, or a password item made by
 * sec_password_item_create) with its stored attributes (may be NULL) and,
 * for passwords, its data. errSecDuplicateItem if the keychain has it
 * already; errSecInteractionNotAllowed if a secret must be stored while the
 * keychain is locked.
 */
CF_INTERNAL OSStatus sec_keychain_add(SecKeychainRef keychain, enum sec_item_kind kind,
                                      CFTypeRef ref, CFDictionaryRef attributes, CFDataRef secret);

/* Removes the entry `id`; errSecItemNotFound if it is gone. */
CF_INTERNAL OSStatus sec_keychain_remove(SecKeychainRef keychain, uint64_t id);

/*
 * Merges `changes` into the stored attributes of entry `id` and, when
 * `secret` is given, replaces its password data. errSecDuplicateItem if a
 * password would then collide with another.
 */
CF_INTERNAL OSStatus sec_keychain_update(SecKeychainRef keychain, uint64_t id,
                                         CFDictionaryRef changes, CFDataRef secret);

/* Mutex held: update_entry of sec_keychain_update, for an entry found by sec_keychain_with_entry.
 */
CF_INTERNAL OSStatus sec_keychain_update_entry(struct sec_keychain *kc,
                                               struct sec_keychain_entry *entry,
                                               CFDictionaryRef changes, CFDataRef secret);

/* Mutex held: the entry's attributes as a search sees them (+1), and whether its secret is locked.
 */
CF_INTERNAL CFDictionaryRef sec_keychain_entry_attributes(const struct sec_keychain_entry *entry);
CF_INTERNAL bool sec_keychain_entry_locked(const struct sec_keychain_entry *entry);

/* Appends an entry to the keychain (mutex held); false when out of memory. */
CF_INTERNAL bool sec_keychain_append_entry(struct sec_keychain *kc,
                                           struct sec_keychain_entry *entry);

/* --- The file (sec_keychain_file.c); called with the keychain's mutex held. --- */

/* Reads the file into the keychain, locked. errSecNoSuchKeychain, errSecInvalidKeychain, errSecIO.
 */
CF_INTERNAL OSStatus sec_keychain_file_load(struct sec_keychain *kc);

/* Writes the keychain to its file (atomically: a new file renamed over the old). */
CF_INTERNAL OSStatus sec_keychain_file_save(struct sec_keychain *kc);

/* Makes a new, empty file keychain, unlocked; errSecDuplicateKeychain if the file exists. */
CF_INTERNAL OSStatus sec_keychain_file_create(struct sec_keychain *kc, const void *password,
                                              size_t length);

/* Checks the password and decrypts the secrets: errSecAuthFailed on a wrong password. */
CF_INTERNAL OSStatus sec_keychain_file_unlock(struct sec_keychain *kc, const void *password,
                                              size_t length);

/* Forgets the password and the decrypted secrets. */
CF_INTERNAL void sec_keychain_file_lock(struct sec_keychain *kc);

/* Fills entry->stored, encrypting its secret (the keychain must be unlocked). */
CF_INTERNAL OSStatus sec_keychain_file_seal(struct sec_keychain *kc,
                                            struct sec_keychain_entry *entry);

/*
 * Fills updated->stored for `old` with new attributes: its sealed form as it
 * is while what the secret is bound to stays the same, else sealed again
 * (errSecInteractionNotAllowed while the keychain is locked).
 */
CF_INTERNAL OSStatus sec_keychain_file_reseal(struct sec_keychain *kc,
                                              const struct sec_keychain_entry *old,
                                              struct sec_keychain_entry *updated);

/* --- Attribute keys with values fixed by Apple (sec_item_keys.c). --- */

/* The key-attribute strings, compared by content (their public symbols live with SecKey). */
CF_INTERNAL extern const CFStringRef sec_attr_key_class;         /* "kcls" */
CF_INTERNAL extern const CFStringRef sec_attr_key_class_public;  /* "0" */
CF_INTERNAL extern const CFStringRef sec_attr_key_class_private; /* "1" */
CF_INTERNAL extern const CFStringRef sec_attr_key_type;          /* "type" */
CF_INTERNAL extern const CFStringRef sec_attr_key_type_rsa;      /* "42" */
CF_INTERNAL extern const CFStringRef sec_attr_key_type_ec;       /* "73" */
CF_INTERNAL extern const CFStringRef sec_attr_key_size;          /* "bsiz" */

/* The kSecClass value of an item kind. */
CF_INTERNAL CFStringRef sec_item_kind_class(enum sec_item_kind kind);

/* True if every attribute of `wanted` has the same value in `have` (SecItem queries, password
 * searches). */
CF_INTERNAL bool sec_item_attributes_match(CFDictionaryRef wanted, CFDictionaryRef have);

#endif
