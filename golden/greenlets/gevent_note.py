"""The gevent note's program: the notebook's code, unchanged (only this docstring is added).

The suite checks gevent through one-line scenarios (golden/greenlets); the
scenario ``note_program`` of golden/greenlets/scenarios.txt is this program,
and //tools:gevent_note_test runs this file on /usr/bin/python3 with Debian's
python3-gevent and holds that scenario's recorded Output to what it prints.
"""
import gevent


def foo():
    print('Running in foo')
    gevent.sleep(0) #forcing yield
    print('Explicit context switch to foo again')
    
def bar():
    print('Explicit context switch to bar')
    gevent.sleep(0)
    print('Implicit context switch back to bar')

gevent.joinall([
    gevent.spawn(foo),
    gevent.spawn(bar)
    ])
