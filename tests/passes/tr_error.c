/* tests/passes/tr_error.c - tapc with a pass 3 that reports an error.
 *
 * Linked with tapc's objects and -Wl,--wrap=tr_program (tests/run's
 * host_pass_errors): pass 3 translates as usual, then reports an error
 * through diag, as translate.c does for what it cannot translate.  tapc
 * must then end with status 1 and print no C at -p3, and not build at -p4,
 * whatever scripts happen to reach such an error today.
 */
#include "diag.h"
#include "elab.h"
#include "translate.h"

void __real_tr_program(const struct program *prog, struct strbuf *out);
void __wrap_tr_program(const struct program *prog, struct strbuf *out);

void __wrap_tr_program(const struct program *prog, struct strbuf *out)
{
	struct loc nowhere = { 0 };

	__real_tr_program(prog, out);
	diag_error(DG_INTERNAL, nowhere, "internal error: injected by tests/passes");
}
