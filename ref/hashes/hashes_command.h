/* The protocol commands of the hashes note: sha256, sha224, sha384, sha512,
 * md5, sha1 (one hex-encoded message per line, one hexdigest per line). */
#ifndef PYNOTES_REF_HASHES_HASHES_COMMAND_H_
#define PYNOTES_REF_HASHES_HASHES_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_hashes_commands[];
extern const size_t pn_hashes_command_count;

#endif /* PYNOTES_REF_HASHES_HASHES_COMMAND_H_ */
