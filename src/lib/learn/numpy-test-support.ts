// Test support for the NumPy export tests: runs a generated script with the system's python3 + numpy
// and reads its CSV output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function pythonStatus(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], {
    encoding: 'utf8',
  });
  if (r.error) return 'python3 is not installed (apt-get install python3-numpy)';
  if (r.status !== 0) return 'python3 has no numpy (apt-get install python3-numpy)';
  return null;
}
export const missingPython = pythonStatus();

export function runScript(
  script: string,
  csv: string,
): { stdout: string; stderr: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'numpy-export-'));
  try {
    writeFileSync(join(dir, 'model.py'), script);
    writeFileSync(join(dir, 'data.csv'), csv);
    const r = spawnSync('python3', [join(dir, 'model.py'), join(dir, 'data.csv')], {
      encoding: 'utf8',
    });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseOutput(stdout: string): { header: string[]; rows: string[][] } {
  // The script writes plain CSV; our labels in these tests hold no quotes or newlines except where noted.
  const lines = stdout.trim().split(/\r?\n/);
  const split = (l: string) => {
    const out: string[] = [];
    let cur = '';
    let q = false;
    for (let i = 0; i < l.length; i++) {
      const ch = l[i];
      if (q) {
        if (ch === '"' && l[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ',') {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}
