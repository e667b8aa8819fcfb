import * as core from '@tapir/core';
test('core loads', () => { expect(core).toBeDefined(); });
