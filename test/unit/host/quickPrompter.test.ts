import * as assert from 'node:assert/strict';
import { SonarApiError } from '../../../src/core/sonar/errors';
import { QuickPrompter } from '../../../src/vscode/quickPrompter';
import { world } from '../support/vscodeStandIn';
import { Person, until } from './person';

describe('QuickPrompter over the stand-in editor', () => {
  let person: Person;
  const prompter = new QuickPrompter((text) => text.replaceAll('squ_secret', '***'));
  beforeEach(() => {
    world.reset();
    person = new Person();
  });
  afterEach(() => {
    person.done();
    person.dispose();
  });

  it('shows a failed search in words in the placeholder, not the raw message', async () => {
    person.will({ dismiss: true });
    const answer = prompter.searchPick({ title: 'Project', search: async () => Promise.reject(new SonarApiError('forbidden', 'HTTP 403 from api/projects/search')) });
    const widget = await until('the search widget', () => world.inputs[0]?.widget);
    await until('the failure shown', () => (widget.busy ? undefined : true));
    assert.equal(widget.placeholder, 'the SonarQube server refused: your account lacks the permission for this.');
    assert.equal(await answer, undefined);
  });

  it('searches again as the person types, and returns the chosen value', async () => {
    const queries: string[] = [];
    person.will({ choose: 'Shop' });
    const answer = await prompter.searchPick({ title: 'Project', search: async (query) => (queries.push(query), [{ label: 'Shop', value: 'shop' }]) });
    assert.equal(answer, 'shop');
    assert.deepEqual(queries, ['']);
  });

  it('keeps an input open while its validation refuses the value', async () => {
    person.dispose(); // this test acts itself
    const answer = prompter.input({ title: 'Name', validate: (value) => (value === 'bad' ? 'Not that one.' : undefined) });
    const widget = await until('the input box', () => world.inputs[0]?.widget);
    widget.type('bad');
    widget.accept();
    await until('the refusal', () => widget.validationMessage);
    assert.equal(widget.validationMessage, 'Not that one.');
    assert.equal(widget.visible, true);
    widget.type('good');
    widget.accept();
    assert.equal(await answer, 'good');
  });

  it('picks several items, preselected as asked', async () => {
    person.will({ chooseMany: ['a', 'c'] });
    const answer = await prompter.pickMany([{ label: 'a', value: 1 }, { label: 'b', value: 2, picked: true }, { label: 'c', value: 3 }], { title: 'Folders' });
    assert.deepEqual(answer, [1, 3]);
  });

  it('aborts the signal when Cancel is pressed on the progress notification', async () => {
    world.cancelProgress = /Reading/;
    const aborted = await prompter.withProgress('Reading tokens…', (signal) => new Promise<boolean>((resolve) => signal.addEventListener('abort', () => resolve(signal.aborted))));
    assert.equal(aborted, true);
  });

  it('confirms only with the confirm button of a modal dialog', async () => {
    world.answer('Revoke');
    assert.equal(await prompter.confirm('Revoke token x?', { confirmLabel: 'Revoke', detail: 'It stops working.' }), true);
    assert.deepEqual(world.messages[0], { severity: 'warn', message: 'Revoke token x?', options: { modal: true, detail: 'It stops working.' }, actions: ['Revoke'] });
    assert.equal(await prompter.confirm('Revoke token y?', { confirmLabel: 'Revoke' }), false);
  });

  it('masks known values in what it shows', async () => {
    await prompter.error('The server said: bad token squ_secret');
    assert.deepEqual(world.texts(), ['The server said: bad token ***']);
  });
});
