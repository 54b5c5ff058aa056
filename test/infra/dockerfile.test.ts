/**
 * The serving image's Dockerfile, linted with dockerfile-ast (no Docker engine here): multi-stage,
 * pinned base images, non-root, exec-form health check and entrypoint, nothing copied that the
 * server does not run, and a build context that excludes the rest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type From, type Healthcheck, type JSONInstruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/project-paths.js';
import { PREDICT_ARGS, SERVING_PORT } from '../../infra/eks/serving-manifests.js';

const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs() as From[];
const lastStageStart = instructions.indexOf(froms.at(-1)!);
const finalStage = instructions.slice(lastStageStart);
const keyword = (name: string) => (i: { getKeyword(): string }) => i.getKeyword() === name;
const jsonArgs = (i: JSONInstruction) => i.getJSONStrings().map((s) => s.getJSONValue());

describe('Dockerfile (serving image)', () => {
  it('parses into a build stage and a runtime stage', () => {
    expect(froms.map((f) => f.getBuildStage())).toEqual(['build', 'runtime']);
    expect(instructions.filter((i) => !['FROM', 'ARG'].includes(i.getKeyword()) && instructions.indexOf(i) < instructions.indexOf(froms[0]!))).toEqual([]);
  });

  it('pins every base image to an exact version, never latest', () => {
    for (const from of froms) {
      expect(from.getImageName()).toBe('node');
      expect(from.getImageTag()).toMatch(/^\d+\.\d+\.\d+-bookworm-slim$/);
    }
  });

  it('installs production dependencies from the lock file without install scripts', () => {
    const runs = instructions.filter(keyword('RUN')).map((i) => i.getTextContent());

    expect(runs.some((r) => r.includes('npm ci --omit=dev --ignore-scripts'))).toBe(true);
    expect(runs.some((r) => /npm install/.test(r))).toBe(false);
  });

  it('runs as a non-root numeric user in the final stage', () => {
    const users = finalStage.filter(keyword('USER')).map((u) => u.getArgumentsContent());

    expect(users).toEqual(['1000:1000']);
    expect(finalStage.findIndex(keyword('USER'))).toBeLessThan(finalStage.findIndex(keyword('ENTRYPOINT')));
  });

  it('copies only from the build stage into the runtime image, owned by root (read-only code)', () => {
    const copies = finalStage.filter(keyword('COPY'));

    expect(copies.map((c) => c.getTextContent())).toEqual(['COPY --from=build --chown=root:root /app /app']);
    expect(instructions.filter(keyword('ADD'))).toEqual([]);
  });

  it('checks health on /ping with an exec-form command', () => {
    const [check] = finalStage.filter(keyword('HEALTHCHECK')) as Healthcheck[];
    const flags = Object.fromEntries(check!.getFlags().map((f) => [f.getName(), f.getValue()]));

    expect(flags).toMatchObject({ interval: '15s', timeout: '3s', retries: '3' });
    expect(check!.getTextContent()).toContain(`http://127.0.0.1:${SERVING_PORT}/ping`);
    expect(check!.getArgumentsContent()).toMatch(/^CMD \["node", "-e", /);
  });

  it('starts `pricesense serve --aws` on all interfaces of the serving port, in exec form', () => {
    const [entrypoint] = finalStage.filter(keyword('ENTRYPOINT')) as JSONInstruction[];
    const [cmd] = finalStage.filter(keyword('CMD')) as JSONInstruction[];
    const [expose] = finalStage.filter(keyword('EXPOSE'));

    expect(jsonArgs(entrypoint!)).toEqual(['node', 'bin/pricesense.mjs', 'serve']);
    expect(jsonArgs(cmd!)).toEqual(['--aws', '--host', '0.0.0.0', '--port', String(SERVING_PORT)]);
    expect(expose!.getArgumentsContent()).toBe(String(SERVING_PORT));
  });

  it('defaults to the arguments the EKS manifests pass explicitly', () => {
    const [cmd] = finalStage.filter(keyword('CMD')) as JSONInstruction[];

    expect(jsonArgs(cmd!)).toEqual(PREDICT_ARGS);
  });

  it('keeps secrets out of the image', () => {
    expect(text).not.toMatch(/AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)/);
    for (const env of instructions.filter(keyword('ENV'))) expect(env.getTextContent()).not.toMatch(/(SECRET|PASSWORD|TOKEN)=/i);
  });

  it('writes every instruction keyword in upper case and uses the BuildKit syntax directive', () => {
    expect(instructions.every((i) => i.getInstruction() === i.getKeyword())).toBe(true);
    expect(dockerfile.getDirective()?.getValue()).toBe('docker/dockerfile:1');
  });

  it('sends a build context of only what the image copies', () => {
    const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));

    expect(ignore[0]).toBe('**');
    expect(ignore.filter((line) => line.startsWith('!')).sort()).toEqual(['!bin/**', '!local/**', '!package-lock.json', '!package.json', '!tasks/**', '!tsconfig.json', '!workflow/**']);
    expect(ignore).toContain('**/*.test.ts');
  });
});
