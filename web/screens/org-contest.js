// placeholder: replaced by the real screen
import { h, mount, notice } from '../ui.js';
export function contestsScreen() { mount(h('h1', null, '建设中'), notice('此页面尚在建设中。')); }
export function contestScreen() { mount(h('h1', null, '建设中'), notice('此页面尚在建设中。')); }
