# hello: prints "hello, world" and exits.
# Measures interpreter/runtime startup; the work itself is negligible.
print("hello, world")
