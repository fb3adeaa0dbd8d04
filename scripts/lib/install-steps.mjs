// Carries out the steps of docs/install.md in a Backstage app, in the order the page gives them, so
// that the install test (scripts/install-test.sh) does what a reader of the page does.
//
// A step is an HTML comment `<!-- install-test: <verb> ... -->` followed by the fenced block(s) it
// uses:
//   run                            the next block, with bash, in the app
//   background repo                the next block, with bash, in this repository, left running
//                                  (its process group id goes to $INSTALL_TEST_PIDS)
//   write <file>                   the next block is the content of <file> in the app
//   insert <file> before <marker>  the next block goes before the line that is <marker>
//   replace <file>                 the next block's text in <file> becomes the block after it
//   copy <from> <to>               a folder of this repository copied into the app (no block)
//
// Usage: node install-steps.mjs <docs/install.md> <app dir> <repository dir>
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [docPath, appDir, repoDir] = process.argv.slice(2);
if (!docPath || !appDir || !repoDir) {
  console.error('usage: install-steps.mjs <install.md> <app dir> <repo dir>');
  process.exit(2);
}

/** The page as a list of steps, each with the fenced blocks after its comment. */
function readSteps(markdown) {
  const lines = markdown.split('\n');
  const steps = [];
  let step;
  for (let i = 0; i < lines.length; i++) {
    const directive = lines[i].match(/^<!-- install-test: (.+) -->$/);
    if (directive) {
      step = { words: directive[1].trim(), blocks: [], line: i + 1 };
      steps.push(step);
      continue;
    }
    const fence = lines[i].match(/^```(\w*)$/);
    if (fence && fence[1]) {
      const end = lines.indexOf('```', i + 1);
      if (end < 0) throw new Error(`${docPath}:${i + 1}: unclosed block`);
      if (step) step.blocks.push(lines.slice(i + 1, end).join('\n') + '\n');
      i = end;
    }
  }
  return steps;
}

function block(step, index = 0) {
  const text = step.blocks[index];
  if (text === undefined) {
    throw new Error(`${docPath}:${step.line}: "${step.words}" needs a block`);
  }
  return text;
}

function inApp(file) {
  const target = path.resolve(appDir, file);
  if (!target.startsWith(path.resolve(appDir) + path.sep)) {
    throw new Error(`${file} is outside the app`);
  }
  return target;
}

function edit(file, change) {
  const target = inApp(file);
  fs.writeFileSync(target, change(fs.readFileSync(target, 'utf8')));
}

const backgroundPids = [];

for (const step of readSteps(fs.readFileSync(docPath, 'utf8'))) {
  const [verb, ...args] = step.words.split(' ');
  console.log(`==> docs/install.md:${step.line}: ${step.words}`);
  if (verb === 'run') {
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', block(step)], {
      cwd: appDir,
      stdio: 'inherit',
    });
    if (result.status !== 0) throw new Error(`step failed: ${step.words}`);
  } else if (verb === 'background' && args[0] === 'repo') {
    const logFile = path.join(appDir, `background-${step.line}.log`);
    const out = fs.openSync(logFile, 'w');
    const child = spawn('bash', ['-euo', 'pipefail', '-c', block(step)], {
      cwd: repoDir,
      detached: true,
      stdio: ['ignore', out, out],
    });
    backgroundPids.push(child.pid);
    child.unref();
    console.log(`    running as process group ${child.pid}, log ${logFile}`);
  } else if (verb === 'write') {
    fs.mkdirSync(path.dirname(inApp(args[0])), { recursive: true });
    fs.writeFileSync(inApp(args[0]), block(step));
  } else if (verb === 'insert' && args[1] === 'before') {
    const marker = args.slice(2).join(' ');
    edit(args[0], text => {
      const at = text.split('\n').findIndex(line => line.trim() === marker);
      if (at < 0) throw new Error(`${args[0]} has no line "${marker}"`);
      const lines = text.split('\n');
      lines.splice(at, 0, block(step).trimEnd(), '');
      return lines.join('\n');
    });
  } else if (verb === 'replace') {
    edit(args[0], text => {
      const from = block(step, 0);
      if (!text.includes(from)) {
        throw new Error(`${args[0]} does not contain:\n${from}`);
      }
      return text.replace(from, block(step, 1));
    });
  } else if (verb === 'copy') {
    fs.cpSync(path.resolve(repoDir, args[0]), inApp(args[1]), {
      recursive: true,
    });
  } else {
    throw new Error(`${docPath}:${step.line}: unknown step "${step.words}"`);
  }
}

if (process.env.INSTALL_TEST_PIDS) {
  fs.writeFileSync(
    process.env.INSTALL_TEST_PIDS,
    backgroundPids.map(pid => `${pid}\n`).join(''),
  );
}
