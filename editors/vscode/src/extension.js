// @ts-check
// The chitieu extension: starts `chitieu lsp` (a language server over stdio) for YAML files.
// The server decides what is a plan (a top-level `chitieu:` key) and answers nothing for other
// YAML files, so the client hands it every YAML document rather than guessing from file names.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** Starts a client for the executable named by `chitieu.path`. */
async function start() {
  const command = vscode.workspace.getConfiguration('chitieu').get('path', 'chitieu') || 'chitieu';
  // No `transport`: the client would append `--stdio`, which `chitieu lsp` does not take
  // (standard input and output are its only transport).
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
  };
  client = new LanguageClient('chitieu', 'chitieu', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    vscode.window.showErrorMessage(
      `chitieu: cannot start \`${command} lsp\` (${e instanceof Error ? e.message : e}); ` +
        'set `chitieu.path` to the chitieu executable.',
    );
  }
}

async function restart() {
  if (client) {
    await client.stop().catch(() => undefined);
    client = undefined;
  }
  await start();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('chitieu.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('chitieu.path')) {
        return restart();
      }
      return undefined;
    }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
