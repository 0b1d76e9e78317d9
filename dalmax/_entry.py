"Entry point of the `dalmax` command (hand-written): OpenMP threads that sleep rather than spin, then the CLI."
import os

def main():
    "Set `OMP_WAIT_POLICY=PASSIVE` unless set (before torch loads OpenMP), then run `dalmax.cli.main`"
    # Spinning OpenMP threads made small torch ops 10-100x slower on a busy 2-core machine; sleeping threads cost little.
    os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
    from dalmax.cli import main as cli_main
    cli_main()

if __name__ == '__main__': main() # `python -m dalmax._entry ...`, e.g. under `torchrun -m dalmax._entry train-al ...`
