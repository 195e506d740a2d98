import '../packages/infra/src/cli.ts';
