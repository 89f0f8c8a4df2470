/* A shared object that is not a module: it defines no PyInit_notmod. */
int notmod_unrelated(int x);

int notmod_unrelated(int x) {
  return x + 1;
}
