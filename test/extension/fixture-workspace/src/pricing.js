// Cart prices (the refactor UI test selects the loop and asks Nyx to rewrite it).
function cartTotal(items) {
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    total += items[i].price * items[i].quantity;
  }
  return total;
}

module.exports = { cartTotal };
