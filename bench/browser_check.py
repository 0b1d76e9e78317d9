"""A person's view of the notebook labeller, checked in a real browser.

JupyterLab (pip) serves a tiny notebook on 127.0.0.1 only; headless Chromium (Debian's `chromium` and `chromium-driver`)
opens it through selenium, runs it, and labels two batches the way a person does: the first half by clicking class
buttons, the rest by typing keys into the labeller's key box (a class key, Enter to accept the model's guess, Backspace
to undo), with a click on "retrain" in between. Then the script reads the label store and asserts that it holds exactly
the answers given, and saves a screenshot of the labeller and the timings in bench/results/browser/.

    apt-get install -y chromium chromium-driver; pip install jupyterlab selenium
    python bench/browser_check.py
"""
import os, sys, json, time, socket, secrets, shutil, subprocess, tempfile, argparse, urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

NOTEBOOK_CELLS = [
    "import os\nos.environ.setdefault('OMP_NUM_THREADS', '1')\nimport torch; torch.set_num_threads(1)\n"
    "from dalmax.all import *\nfrom dalmax.labeller import Labeller\n"
    "vocab = [str(i) for i in range(10)]\n"
    "loop = ActiveLoop(ImageData.from_unlabelled('photos', vocab), 'margin', n_query=6, audit=2, min_steps=60, path='session')\n"
    "lab = Labeller(loop, who='browser', budget=30, size=280)\n"
    "lab",
]

def free_port():
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def write_notebook(path):
    cells = [dict(cell_type='code', execution_count=None, id=f'c{k}', metadata={}, outputs=[], source=src) for k, src in enumerate(NOTEBOOK_CELLS)]
    nb = dict(cells=cells, metadata=dict(kernelspec=dict(display_name='Python 3', language='python', name='python3')), nbformat=4, nbformat_minor=5)
    Path(path).write_text(json.dumps(nb))

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=str(REPO/'bench'/'results'/'browser'), help='folder for the screenshot and timings')
    ap.add_argument('--keep', action='store_true', help='keep the temporary folder')
    args = ap.parse_args()
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    from dalmax.labeller import digits_folder
    from dalmax.labelstore import LabelStore

    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix='dalmax_browser_'))
    truth = digits_folder(tmp/'photos', n=150, size=32)
    write_notebook(tmp/'label.ipynb')
    news = tmp/'lab_settings'/'@jupyterlab'/'apputils-extension'/'notification.jupyterlab-settings'
    news.parent.mkdir(parents=True); news.write_text('{"fetchNews": "false"}')   # no "get notified about Jupyter news?" toast
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get('PYTHONPATH', ''), OMP_NUM_THREADS='1',
               OMP_WAIT_POLICY='PASSIVE', JUPYTER_CONFIG_DIR=str(tmp/'jupyter_config'), JUPYTERLAB_SETTINGS_DIR=str(tmp/'lab_settings'),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp/'lab_workspaces'))
    times, t0 = {}, time.perf_counter()
    lab_log = open(tmp/'jupyterlab.log', 'w')
    server = subprocess.Popen([sys.executable, '-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1', f'--port={port}', f'--IdentityProvider.token={token}',
                               f'--ServerApp.root_dir={tmp}', '--LabApp.expose_app_in_browser=True', '--ServerApp.open_browser=False',
                               '--LabApp.news_url=', '--ServerApp.allow_remote_access=False'] + (['--allow-root'] if os.geteuid() == 0 else []),
                              cwd=tmp, env=env, stdout=lab_log, stderr=subprocess.STDOUT)
    driver = None
    try:
        for _ in range(240):
            try: urllib.request.urlopen(f'http://127.0.0.1:{port}/api/status?token={token}', timeout=2); break
            except Exception: time.sleep(0.5)
        else: raise RuntimeError('JupyterLab did not start: see ' + str(tmp/'jupyterlab.log'))
        times['server_start_s'] = time.perf_counter() - t0
        opts = webdriver.ChromeOptions()
        for a in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1500,1250', '--disable-gpu'): opts.add_argument(a)
        opts.binary_location = shutil.which('chromium') or '/usr/bin/chromium'
        driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=shutil.which('chromedriver') or '/usr/bin/chromedriver'), options=opts)
        wait = WebDriverWait(driver, float(os.environ.get('BROWSER_CHECK_WAIT', 300)), poll_frequency=0.1)
        t1 = time.perf_counter()
        driver.get(f'http://127.0.0.1:{port}/lab/tree/label.ipynb?token={token}')
        wait.until(lambda d: d.execute_script("return !!(window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell'))"))
        wait.until(lambda d: d.execute_script("const w = window.jupyterapp.shell.currentWidget; return !!(w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle')"))
        times['notebook_open_s'] = time.perf_counter() - t1
        t2 = time.perf_counter()
        driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        from selenium.common.exceptions import StaleElementReferenceException
        buttons_js = ("return Array.from(document.querySelectorAll('.jp-OutputArea .widget-button'))"
                      ".map(b => [b.textContent.trim(), b.className, b.disabled])")
        buttons = lambda: driver.execute_script(buttons_js)
        wait.until(lambda d: any(t.endswith('· 0') for t, _, _ in buttons()))
        times['labeller_shown_s'] = time.perf_counter() - t2

        def shown_item():
            names = driver.execute_script("return Array.from(document.querySelectorAll('.jp-OutputArea .widget-html b')).map(e => e.textContent)")
            names = [n for n in names if n.endswith('.png')]
            return names[0] if names else None
        def wait_change(old):
            wait.until(lambda d: shown_item() != old)
        def retry(f):
            for _ in range(20):
                try: return f()
                except StaleElementReferenceException: time.sleep(0.1)
            return f()
        def key_box():
            return driver.find_element(By.CSS_SELECTOR, '.jp-OutputArea .widget-text input')
        def type_key(k, click=False):
            def f():
                box = key_box()
                if click: box.click()
                box.send_keys(k)
            retry(f)
        def click(label):
            def f():
                for b in driver.find_elements(By.CSS_SELECTOR, '.jp-OutputArea .widget-button'):
                    t = b.text.strip()
                    if t.endswith('· ' + label) or t == label: b.click(); return
                raise RuntimeError(f'no button {label}')
            retry(f)
        def enabled(label): return any((t.endswith('· ' + label) or t == label) and not dis for t, _, dis in buttons())

        given, latencies = [], []
        def act(how, item, label, do):
            time.sleep(float(os.environ.get("BROWSER_CHECK_PAUSE", 0))); t = time.perf_counter(); do(); wait_change(item); latencies.append(time.perf_counter() - t)
            given.append(dict(item=item, label=label, how=how))

        # batch 1 (cold start): 2 audit images + 6 queries; clicks for the first half, keys for the rest
        for k in range(8):
            item = shown_item(); label = truth[item]
            if k < 4: act('click', item, label, lambda: click(label))
            else:
                key = label   # the digits' classes type as themselves (`class_keys`)
                act('key', item, label, lambda: type_key(key, click=True))
        # a wrong key, then Backspace undoes it: the same image comes back
        wait.until(lambda d: enabled('retrain and show the next batch'))
        t = time.perf_counter()
        click('retrain and show the next batch')
        wait.until(lambda d: shown_item() is not None)
        times['retrain_s'] = time.perf_counter() - t
        item = shown_item(); label = truth[item]
        wrong_key = str((int(label) + 1) % 10)
        type_key(wrong_key, click=True); wait_change(item)
        type_key(Keys.BACKSPACE); wait.until(lambda d: shown_item() == item)
        undone_ok = True
        driver.execute_script("Array.from(document.querySelectorAll('.jp-Notification-Toast-Close, .jp-toast-button')).filter(b => /^No$|close/i.test(b.textContent + (b.title || '') + (b.getAttribute('aria-label') || ''))).forEach(b => b.click())")
        time.sleep(1.0)
        driver.save_screenshot(str(out/'labeller.png'))
        # batch 2: Enter accepts the model's guess (the highlighted button) for the first image, keys for the rest
        for k in range(6):
            item = shown_item(); label = truth[item]
            guess = [t.split('· ')[-1] for t, cls, _ in buttons() if 'mod-info' in cls]
            if k == 0:
                assert len(guess) == 1, f'no guess highlighted: {buttons()}'
                act('enter', item, guess[0], lambda: type_key(Keys.ENTER, click=True))
            else:
                key = label
                act('key', item, label, lambda: type_key(key))
        times['total_s'] = time.perf_counter() - t0
    except Exception:
        if driver is not None:
            driver.save_screenshot(str(tmp/'failed.png'))
            print('failed; screenshot', tmp/'failed.png', '; key box:', repr(driver.execute_script(
                "const i = document.querySelector('.jp-OutputArea .widget-text input'); return i && i.value")), file=sys.stderr)
        raise
    finally:
        if driver is not None: driver.quit()
        server.terminate()
        try: server.wait(20)
        except subprocess.TimeoutExpired: server.kill()
        lab_log.close()

    store = LabelStore(tmp/'session'/'labels.db')
    cur = store.current()
    got = {Path(i).name: l for i, l in zip(cur.item, cur.label)}
    want = {g['item']: g['label'] for g in given}
    assert got == want, f"the store differs from the answers given:\n{got}\n{want}"
    assert set(cur.source) == {'widget'} and set(cur.who) == {'browser'}, (set(cur.source), set(cur.who))
    undos = store.answers().source.eq('undo').sum()
    assert undos == 1, undos
    hows = {h: sum(g['how'] == h for g in given) for h in ('click', 'key', 'enter')}
    res = dict(answers=len(given), by=hows, undo_checked=undone_ok, undo_rows=int(undos), store_matches=True,
               median_answer_to_next_image_s=round(sorted(latencies)[len(latencies)//2], 3), max_answer_to_next_image_s=round(max(latencies), 3),
               **{k: round(v, 1) for k, v in times.items()}, load_average=[round(x, 2) for x in os.getloadavg()],
               chromium=subprocess.run(['chromium', '--version'], capture_output=True, text=True).stdout.strip(),
               jupyterlab=__import__('jupyterlab').__version__, ipywidgets=__import__('ipywidgets').__version__)
    (out/'result.json').write_text(json.dumps(res, indent=1) + '\n')
    print(json.dumps(res, indent=1))
    if not args.keep: shutil.rmtree(tmp, ignore_errors=True)
    else: print('kept', tmp)

if __name__ == '__main__': main()
