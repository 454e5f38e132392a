/*
 * SecKeychain: the keychain object and the process-wide keychain state (the
 * default keychain, the search list, the user-interaction flag, and the
 * registry of live keychains that SecKeychainItemDelete searches).
 *
 * Locks are taken in this order only: globals_lock, registry_lock, then a
 * keychain's own mutex.
 */
#include <errno.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cf_string.h"
#include "sec_keychain.h"

static void sec_keychain_finalize(CFTypeRef cf);
static bool sec_keychain_equal(CFTypeRef a, CFTypeRef b);
static CFHashCode sec_keychain_hash(CFTypeRef cf);
static CFStringRef sec_keychain_copy_description(CFTypeRef cf);

static const struct cf_class sec_keychain_class = {
    .name = "SecKeychain",
    .finalize = sec_keychain_finalize,
    .equal = sec_keychain_equal,
    .hash = sec_keychain_hash,
    .copy_description = sec_keychain_copy_description,
};

CF_DEFINE_TYPE_ID_FUNCTION(SecKeychainGetTypeID, sec_keychain_class)

struct sec_keychain *sec_keychain_of(CFTypeRef keychain)
{
    return cf_is_type(keychain, SecKeychainGetTypeID()) ? (struct sec_keychain *)keychain : NULL;
}

/* --- The registry of live keychains --- */

/*
 * Every keychain object is listed here from creation to finalization, so an
 * item can be removed from whichever keychains hold it. Walking the registry
 * never retains a keychain: a finalizer waits on registry_lock, so an object
 * whose count reached zero stays valid until the walk ends.
 */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sec_keychain **registry;
static size_t registry_count, registry_capacity;

static bool registry_add(struct sec_keychain *kc)
{
    pthread_mutex_lock(&registry_lock);
    bool ok = true;
    if (registry_count == registry_capacity) {
        size_t capacity = registry_capacity ? registry_capacity * 2 : 8;
        struct sec_keychain **grown = realloc(registry, capacity * sizeof(*grown));
        if (grown != NULL) {
            registry = grown;
            registry_capacity = capacity;
        } else {
            ok = false;
        }
    }
    if (ok)
        registry[registry_count++] = kc;
    pthread_mutex_unlock(&registry_lock);
    return ok;
}

static void registry_remove(struct sec_keychain *kc)
{
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < registry_count; i++) {
        if (registry[i] == kc) {
            registry[i] = registry[--registry_count];
            break;
        }
    }
    if (registry_count == 0) {
        free(registry);
        registry = NULL;
        registry_capacity = 0;
    }
    pthread_mutex_unlock(&registry_lock);
}

/* Removes every entry equal to `ref` from `kc`; the number removed, or -1 if the save failed. */
static int remove_ref_from(struct sec_keychain *kc, CFTypeRef ref)
{
    EVP_PKEY *pkey = sec_key_pkey(ref);
    pthread_mutex_lock(&kc->mutex);
    int removed = 0;
    for (size_t i = 0; i < kc->count;) {
        struct sec_keychain_entry *e = &kc->entries[i];
        /* A private key of a locked keychain is known by its public half. */
        bool same = e->ref != NULL ? CFEqual(e->ref, ref)
                                   : pkey != NULL && e->kind == SEC_ITEM_PRIVATE_KEY &&
                                         ((struct sec_key *)ref)->is_private &&
                                         EVP_PKEY_eq(e->public_key, pkey) == 1;
        if (same) {
            sec_keychain_entry_clear(e);
            kc->entries[i] = kc->entries[--kc->count];
            removed++;
        } else {
            i++;
        }
    }
    if (removed > 0 && kc->path != NULL && sec_keychain_file_save(kc) != errSecSuccess)
        removed = -1;
    pthread_mutex_unlock(&kc->mutex);
    return removed;
}

bool sec_keychain_remove_everywhere(CFTypeRef ref, OSStatus *status)
{
    bool found = false;
    *status = errSecSuccess;
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < registry_count; i++) {
        int removed = remove_ref_from(registry[i], ref);
        if (removed != 0)
            found = true;
        if (removed < 0)
            *status = errSecIO;
    }
    pthread_mutex_unlock(&registry_lock);
    return found;
}

OSStatus sec_keychain_with_entry(CFTypeRef ref, sec_keychain_entry_fn fn, void *context)
{
    OSStatus status = errSecInvalidItemRef;
    bool found = false;
    pthread_mutex_lock(&registry_lock);
    for (size_t i = 0; i < registry_count && !found; i++) {
        struct sec_keychain *kc = registry[i];
        pthread_mutex_lock(&kc->mutex);
        for (size_t j = 0; j < kc->count && !found; j++) {
            if (kc->entries[j].ref == ref) {
                found = true;
                status = fn(kc, &kc->entries[j], context);
            }
        }
        pthread_mutex_unlock(&kc->mutex);
    }
    pthread_mutex_unlock(&registry_lock);
    return status;
}

/* --- Objects --- */

static struct sec_keychain *keychain_new(const char *path)
{
    struct sec_keychain *kc = cf_object_create(SecKeychainGetTypeID(), sizeof(*kc));
    if (kc == NULL)
        return NULL;
    pthread_mutex_init(&kc->mutex, NULL);
    kc->next_id = 1;
    kc->lock_interval = INT_MAX; /* never locks by itself */
    if (path == NULL) {
        kc->loaded = true;
        kc->unlocked = true;
    } else if ((kc->path = strdup(path)) == NULL) {
        pthread_mutex_destroy(&kc->mutex);
        free(kc); /* never registered: nothing else can reach it */
        return NULL;
    }
    if (!registry_add(kc)) {
        CFRelease(kc);
        return NULL;
    }
    return kc;
}

static void keychain_clear_entries(struct sec_keychain *kc)
{
    for (size_t i = 0; i < kc->count; i++)
        sec_keychain_entry_clear(&kc->entries[i]);
    free(kc->entries);
    kc->entries = NULL;
    kc->count = kc->capacity = 0;
}

static void sec_keychain_finalize(CFTypeRef cf)
{
    struct sec_keychain *kc = (struct sec_keychain *)cf;
    registry_remove(kc);
    sec_keychain_file_lock(kc);
    keychain_clear_entries(kc);
    free(kc->path);
    pthread_mutex_destroy(&kc->mutex);
}

/* Two references to one file are the same keychain, as on Apple's platforms. */
static bool sec_keychain_equal(CFTypeRef a, CFTypeRef b)
{
    const struct sec_keychain *x = a, *y = b;
    return x->path != NULL && y->path != NULL && strcmp(x->path, y->path) == 0;
}

static CFHashCode sec_keychain_hash(CFTypeRef cf)
{
    const struct sec_keychain *kc = cf;
    if (kc->path == NULL)
        return (CFHashCode)(uintptr_t)cf;
    CFHashCode h = 5381;
    for (const char *p = kc->path; *p != '\0'; p++)
        h = h * 33 + (unsigned char)*p;
    return h;
}

static CFStringRef sec_keychain_copy_description(CFTypeRef cf)
{
    const struct sec_keychain *kc = cf;
    return cf_string_create_format("<SecKeychainRef: %p> %s", cf,
                                   kc->path != NULL ? kc->path : "(in memory)");
}

/* An absolute form of `path`: Apple resolves relative names too (we use the working directory). */
static char *absolute_path(const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == NULL)
        return NULL;
    size_t len = strlen(cwd) + 1 + strlen(path) + 1;
    char *out = malloc(len);
    if (out != NULL)
        snprintf(out, len, "%s/%s", cwd, path);
    return out;
}

/* --- Process-wide state --- */

static pthread_mutex_t globals_lock = PTHREAD_MUTEX_INITIALIZER;
static SecKeychainRef builtin_default; /* in memory, made on first need, kept for good */
static SecKeychainRef current_default; /* NULL: builtin_default */
static CFMutableArrayRef search_list;  /* made on first need */
static SecKeychainRef process_store;   /* keys imported without a keychain; see below */
static _Atomic bool interaction_allowed = true;

/* globals_lock held. */
static SecKeychainRef default_locked(void)
{
    if (current_default != NULL)
        return current_default;
    if (builtin_default == NULL)
        builtin_default = (SecKeychainRef)keychain_new(NULL);
    return builtin_default;
}

/* globals_lock held: the search list, first holding the default keychain. */
static CFMutableArrayRef search_list_locked(void)
{
    if (search_list == NULL) {
        SecKeychainRef def = default_locked();
        search_list = CFArrayCreateMutable(NULL, 0, &kCFTypeArrayCallBacks);
        if (search_list != NULL && def != NULL)
            CFArrayAppendValue(search_list, def);
    }
    return search_list;
}

/*
 * The process store: private keys that SecItemImport imported without a
 * keychain (with the certificates imported alongside them), so that
 * SecIdentityCreateWithCertificate(NULL, ...) and identity searches find
 * them, where 10.15 gives errSecItemNotFound (a deliberate step past it,
 * README "Differences"). Every search of the default list covers it, but
 * SecKeychainCopySearchList does not show it. It holds its items for the life
 * of the process and is released at exit by an atexit handler registered when
 * it is made: a handler registered then runs before OpenSSL's own atexit
 * cleanup (registered at OpenSSL's earlier initialisation), whereas a library
 * destructor would run after it and free keys into an unloaded provider.
 */
static void release_process_store(void)
{
    pthread_mutex_lock(&globals_lock);
    SecKeychainRef store = process_store;
    process_store = NULL;
    pthread_mutex_unlock(&globals_lock);
    if (store != NULL)
        CFRelease(store);
}

SecKeychainRef sec_keychain_copy_process_store(void)
{
    pthread_mutex_lock(&globals_lock);
    if (process_store == NULL) {
        process_store = (SecKeychainRef)keychain_new(NULL);
        if (process_store != NULL && atexit(release_process_store) != 0) {
            CFRelease(process_store);
            process_store = NULL;
        }
    }
    SecKeychainRef store = process_store != NULL ? (SecKeychainRef)CFRetain(process_store) : NULL;
    pthread_mutex_unlock(&globals_lock);
    return store;
}

SecKeychainRef sec_keychain_copy_default(void)
{
    pthread_mutex_lock(&globals_lock);
    SecKeychainRef def = default_locked();
    if (def != NULL)
        CFRetain(def);
    pthread_mutex_unlock(&globals_lock);
    return def;
}

/* `keychain` itself (+1), or the default keychain for NULL; NULL for anything else. */
static struct sec_keychain *keychain_or_default(SecKeychainRef keychain)
{
    if (keychain == NULL)
        return (struct sec_keychain *)sec_keychain_copy_default();
    struct sec_keychain *kc = sec_keychain_of(keychain);
    if (kc != NULL)
        CFRetain(kc);
    return kc;
}

static bool all_keychains(CFArrayRef array)
{
    for (CFIndex i = 0; i < CFArrayGetCount(array); i++)
        if (sec_keychain_of(CFArrayGetValueAtIndex(array, i)) == NULL)
            return false;
    return true;
}

OSStatus sec_keychain_resolve(CFTypeRef keychainOrArray, CFArrayRef *keychains)
{
    *keychains = NULL;
    if (keychainOrArray == NULL) {
        pthread_mutex_lock(&globals_lock);
        CFMutableArrayRef list = search_list_locked();
        CFMutableArrayRef out = list != NULL ? CFArrayCreateMutableCopy(NULL, 0, list) : NULL;
        SecKeychainRef def = default_locked();
        if (out != NULL && def != NULL &&
            !CFArrayContainsValue(out, CFRangeMake(0, CFArrayGetCount(out)), def))
            CFArrayAppendValue(out, def);
        if (out != NULL && process_store != NULL)
            CFArrayAppendValue(out, process_store);
        pthread_mutex_unlock(&globals_lock);
        *keychains = out;
        return out != NULL ? errSecSuccess : errSecAllocate;
    }
    if (sec_keychain_of(keychainOrArray) != NULL)
        *keychains = CFArrayCreate(NULL, &keychainOrArray, 1, &kCFTypeArrayCallBacks);
    else if (cf_is_type(keychainOrArray, CFArrayGetTypeID()) && all_keychains(keychainOrArray))
        *keychains = CFArrayCreateCopy(NULL, keychainOrArray);
    else
        return errSecInvalidKeychain;
    return *keychains != NULL ? errSecSuccess : errSecAllocate;
}

/* --- Creating and opening --- */

static OSStatus add_to_search_list(SecKeychainRef keychain)
{
    pthread_mutex_lock(&globals_lock);
    CFMutableArrayRef list = search_list_locked();
    if (list != NULL &&
        !CFArrayContainsValue(list, CFRangeMake(0, CFArrayGetCount(list)), keychain))
        CFArrayAppendValue(list, keychain);
    pthread_mutex_unlock(&globals_lock);
    return list != NULL ? errSecSuccess : errSecAllocate;
}

/*
 * Apple adds a new keychain to the user's search list; here it joins the
 * process's search list. No dialog can be shown: promptUser without a
 * password cannot succeed.
 */
OSStatus SecKeychainCreate(const char *pathName, UInt32 passwordLength, const void *password,
                           Boolean promptUser, SecAccessRef initialAccess, SecKeychainRef *keychain)
{
    (void)initialAccess;
    if (keychain == NULL)
        return errSecParam;
    *keychain = NULL;
    if (pathName == NULL || pathName[0] == '\0' || (password == NULL && passwordLength > 0) ||
        passwordLength > SEC_KEYCHAIN_MAX_PASSWORD)
        return errSecParam;
    if (password == NULL)
        return promptUser ? errSecInteractionNotAllowed : errSecParam;
    char *path = absolute_path(pathName);
    if (path == NULL)
        return errSecAllocate;
    struct sec_keychain *kc = keychain_new(path);
    free(path);
    if (kc == NULL)
        return errSecAllocate;
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = sec_keychain_file_create(kc, password, passwordLength);
    pthread_mutex_unlock(&kc->mutex);
    if (status == errSecSuccess)
        status = add_to_search_list((SecKeychainRef)kc);
    if (status != errSecSuccess) {
        CFRelease(kc);
        return status;
    }
    *keychain = (SecKeychainRef)kc;
    return errSecSuccess;
}

/* The file is read on first use: opening a path with no file yet succeeds, as on Apple's. */
OSStatus SecKeychainOpen(const char *pathName, SecKeychainRef *keychain)
{
    if (keychain == NULL)
        return errSecParam;
    *keychain = NULL;
    if (pathName == NULL || pathName[0] == '\0')
        return errSecParam;
    char *path = absolute_path(pathName);
    if (path == NULL)
        return errSecAllocate;
    *keychain = (SecKeychainRef)keychain_new(path);
    free(path);
    return *keychain != NULL ? errSecSuccess : errSecAllocate;
}

/* Mutex held: reads the file if that has not happened yet. */
static OSStatus keychain_ready(struct sec_keychain *kc)
{
    return kc->loaded ? errSecSuccess : sec_keychain_file_load(kc);
}

static void remove_from_globals(SecKeychainRef keychain)
{
    pthread_mutex_lock(&globals_lock);
    CFIndex i;
    while (search_list != NULL &&
           (i = CFArrayGetFirstIndexOfValue(
                search_list, CFRangeMake(0, CFArrayGetCount(search_list)), keychain)) >= 0)
        CFArrayRemoveValueAtIndex(search_list, i);
    /* Without its default, the process falls back on its in-memory keychain. */
    if (current_default != NULL && CFEqual(current_default, keychain)) {
        CFRelease(current_default);
        current_default = NULL;
    }
    pthread_mutex_unlock(&globals_lock);
}

static OSStatus delete_one(struct sec_keychain *kc)
{
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = errSecSuccess;
    if (kc->path != NULL) {
        if (unlink(kc->path) != 0)
            status = errno == ENOENT ? errSecNoSuchKeychain : errSecIO;
        sec_keychain_file_lock(kc);
        kc->loaded = false;
    }
    keychain_clear_entries(kc);
    pthread_mutex_unlock(&kc->mutex);
    if (kc->path != NULL)
        remove_from_globals((SecKeychainRef)kc);
    return status;
}

OSStatus SecKeychainDelete(SecKeychainRef keychainOrArray)
{
    if (keychainOrArray == NULL)
        return errSecInvalidKeychain;
    CFArrayRef keychains = NULL;
    OSStatus status = sec_keychain_resolve(keychainOrArray, &keychains);
    for (CFIndex i = 0; status == errSecSuccess && i < CFArrayGetCount(keychains); i++)
        status = delete_one(sec_keychain_of(CFArrayGetValueAtIndex(keychains, i)));
    if (keychains != NULL)
        CFRelease(keychains);
    return status;
}

/* --- Locking --- */

/*
 * Without a password Apple would show a dialog; sectrans has none, so a
 * locked keychain stays locked. An in-memory keychain has no password and is
 * always unlocked.
 */
OSStatus SecKeychainUnlock(SecKeychainRef keychain, UInt32 passwordLength, const void *password,
                           Boolean usePassword)
{
    if (usePassword &&
        ((password == NULL && passwordLength > 0) || passwordLength > SEC_KEYCHAIN_MAX_PASSWORD))
        return errSecParam;
    struct sec_keychain *kc = keychain_or_default(keychain);
    if (kc == NULL)
        return errSecInvalidKeychain;
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = keychain_ready(kc);
    if (status == errSecSuccess && kc->path != NULL) {
        if (usePassword)
            status = sec_keychain_file_unlock(kc, password != NULL ? password : "", passwordLength);
        else if (!kc->unlocked)
            status = errSecInteractionNotAllowed;
    }
    pthread_mutex_unlock(&kc->mutex);
    CFRelease(kc);
    return status;
}

OSStatus SecKeychainLock(SecKeychainRef keychain)
{
    struct sec_keychain *kc = keychain_or_default(keychain);
    if (kc == NULL)
        return errSecInvalidKeychain;
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = keychain_ready(kc);
    if (status == errSecSuccess && kc->path != NULL)
        sec_keychain_file_lock(kc);
    pthread_mutex_unlock(&kc->mutex);
    CFRelease(kc);
    return status;
}

OSStatus SecKeychainGetStatus(SecKeychainRef keychain, SecKeychainStatus *keychainStatus)
{
    if (keychainStatus == NULL)
        return errSecParam;
    *keychainStatus = 0;
    struct sec_keychain *kc = keychain_or_default(keychain);
    if (kc == NULL)
        return errSecInvalidKeychain;
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = keychain_ready(kc);
    if (status == errSecSuccess) {
        SecKeychainStatus bits = kc->unlocked ? kSecUnlockStateStatus : 0;
        if (kc->path == NULL || access(kc->path, R_OK) == 0)
            bits |= kSecReadPermStatus;
        if (kc->path == NULL || access(kc->path, W_OK) == 0)
            bits |= kSecWritePermStatus;
        *keychainStatus = bits;
    }
    pthread_mutex_unlock(&kc->mutex);
    CFRelease(kc);
    return status;
}

/*
 * As Apple's SecKeychain.cpp: only a SEC_KEYCHAIN_SETTINGS_VERS1 structure is
 * read or written (another version is accepted and left alone), the lock
 * interval is taken as given (useLockInterval is not consulted), and a copy
 * fills lockInterval and lockOnSleep only. sectrans keeps them on the object
 * and never locks a keychain by itself. A NULL structure is errSecParam.
 */
OSStatus SecKeychainSetSettings(SecKeychainRef keychain, const SecKeychainSettings *newSettings)
{
    if (newSettings == NULL)
        return errSecParam;
    struct sec_keychain *kc = keychain_or_default(keychain);
    if (kc == NULL)
        return keychain == NULL ? errSecAllocate : errSecInvalidKeychain;
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = keychain_ready(kc);
    if (status == errSecSuccess && newSettings->version == SEC_KEYCHAIN_SETTINGS_VERS1) {
        kc->lock_on_sleep = newSettings->lockOnSleep != 0;
        kc->lock_interval = newSettings->lockInterval;
    }
    pthread_mutex_unlock(&kc->mutex);
    CFRelease(kc);
    return status;
}

/* The caller sets outSettings->version; only SEC_KEYCHAIN_SETTINGS_VERS1 is filled. */
OSStatus SecKeychainCopySettings(SecKeychainRef keychain, SecKeychainSettings *outSettings)
{
    if (outSettings == NULL)
        return errSecParam;
    struct sec_keychain *kc = keychain_or_default(keychain);
    if (kc == NULL)
        return keychain == NULL ? errSecAllocate : errSecInvalidKeychain;
    pthread_mutex_lock(&kc->mutex);
    OSStatus status = keychain_ready(kc);
    if (status == errSecSuccess && outSettings->version == SEC_KEYCHAIN_SETTINGS_VERS1) {
        outSettings->lockOnSleep = kc->lock_on_sleep;
        outSettings->lockInterval = kc->lock_interval;
    }
    pthread_mutex_unlock(&kc->mutex);
    CFRelease(kc);
    return status;
}

/* The path and its length without the NUL; errSecBufferTooSmall leaves the needed length. */
OSStatus SecKeychainGetPath(SecKeychainRef keychain, UInt32 *ioPathLength, char *pathName)
{
    if (ioPathLength == NULL || pathName == NULL)
        return errSecParam;
    struct sec_keychain *kc = keychain_or_default(keychain);
    if (kc == NULL)
        return errSecInvalidKeychain;
    OSStatus status = errSecNoSuchKeychain; /* an in-memory keychain has no path */
    if (kc->path != NULL) {
        size_t len = strlen(kc->path);
        if (len + 1 > *ioPathLength) {
            status = errSecBufferTooSmall;
        } else {
            memcpy(pathName, kc->path, len + 1);
            status = errSecSuccess;
        }
        *ioPathLength = (UInt32)len;
    }
    CFRelease(kc);
    return status;
}

/* --- Default keychain, search list, user interaction --- */

OSStatus SecKeychainCopyDefault(SecKeychainRef *keychain)
{
    if (keychain == NULL)
        return errSecParam;
    *keychain = sec_keychain_copy_default();
    return *keychain != NULL ? errSecSuccess : errSecAllocate;
}

OSStatus SecKeychainSetDefault(SecKeychainRef keychain)
{
    if (keychain == NULL)
        return errSecParam;
    if (sec_keychain_of(keychain) == NULL)
        return errSecInvalidKeychain;
    CFRetain(keychain);
    pthread_mutex_lock(&globals_lock);
    SecKeychainRef old = current_default;
    current_default = keychain;
    pthread_mutex_unlock(&globals_lock);
    if (old != NULL)
        CFRelease(old);
    return errSecSuccess;
}

OSStatus SecKeychainCopySearchList(CFArrayRef *searchList)
{
    if (searchList == NULL)
        return errSecParam;
    pthread_mutex_lock(&globals_lock);
    CFMutableArrayRef list = search_list_locked();
    *searchList = list != NULL ? CFArrayCreateCopy(NULL, list) : NULL;
    pthread_mutex_unlock(&globals_lock);
    return *searchList != NULL ? errSecSuccess : errSecAllocate;
}

OSStatus SecKeychainSetSearchList(CFArrayRef searchList)
{
    if (!cf_is_type(searchList, CFArrayGetTypeID()))
        return errSecParam;
    if (!all_keychains(searchList))
        return errSecInvalidKeychain;
    CFMutableArrayRef copy = CFArrayCreateMutableCopy(NULL, 0, searchList);
    if (copy == NULL)
        return errSecAllocate;
    pthread_mutex_lock(&globals_lock);
    CFMutableArrayRef old = search_list;
    search_list = copy;
    pthread_mutex_unlock(&globals_lock);
    if (old != NULL)
        CFRelease(old);
    return errSecSuccess;
}

/* Kept for callers that ask; sectrans never shows a dialog either way. */
OSStatus SecKeychainSetUserInteractionAllowed(Boolean state)
{
    interaction_allowed = state != 0;
    return errSecSuccess;
}

OSStatus SecKeychainGetUserInteractionAllowed(Boolean *state)
{
    if (state == NULL)
        return errSecParam;
    *state = interaction_allowed ? TRUE : FALSE;
    return errSecSuccess;
}
