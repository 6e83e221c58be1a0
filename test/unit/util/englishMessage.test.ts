// The core's default translation: English text with its `{n}` placeholders filled in.
import * as assert from 'node:assert/strict';
import { englishMessage, messageText } from '../../../src/core/ports';

describe('englishMessage', () => {
  it('fills each placeholder with its argument, as often as it appears and in any order', () => {
    assert.equal(englishMessage('{1} before {0}, {1} again', 'a', 'b'), 'b before a, b again');
    assert.equal(englishMessage('{0} tokens, valid: {1}', 3, true), '3 tokens, valid: true');
  });

  it('fills placeholders from {10} upward with the eleventh argument on, not {1} followed by a 0', () => {
    const args = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10', 'a11'];
    assert.equal(englishMessage('{0}|{1}|{9}|{10}|{11}', ...args), 'a0|a1|a9|a10|a11');
  });

  it('leaves a placeholder without an argument as it is', () => {
    assert.equal(englishMessage('{0} and {1}', 'only'), 'only and {1}');
    assert.equal(englishMessage('{12} of {0}', 'x'), '{12} of x');
  });

  it('returns a message without arguments unchanged, placeholders and braces included', () => {
    assert.equal(englishMessage('Use {0} and {name} literally'), 'Use {0} and {name} literally');
    assert.equal(englishMessage('{name} is no placeholder', 'x'), '{name} is no placeholder');
  });

  it('takes the message of a commented message and never shows the note to translators', () => {
    const commented = { message: 'Restart {0} to load it.', comment: ['{0} is a product name.'] };
    assert.equal(messageText(commented), 'Restart {0} to load it.');
    assert.equal(messageText('plain'), 'plain');
    assert.equal(englishMessage(commented, 'Claude Desktop'), 'Restart Claude Desktop to load it.');
    assert.equal(englishMessage(commented), 'Restart {0} to load it.');
  });
});
