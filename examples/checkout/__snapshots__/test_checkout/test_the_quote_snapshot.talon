{
  "createdCoupons": [],
  "createdReferrals": [],
  "effects": [
    {
      "campaignId": "<campaignId-1>",
      "effectType": "acceptCoupon",
      "props": {
        "value": "SUMMER-10"
      },
      "ruleIndex": 0,
      "ruleName": "Ten percent off with a coupon",
      "rulesetId": "<rulesetId-1>",
      "triggeredByCoupon": "<triggeredByCoupon-1>"
    },
    {
      "campaignId": "<campaignId-2>",
      "effectType": "addFreeItem",
      "props": {
        "desiredQuantity": 1,
        "name": "Tote bag",
        "sku": "GIFT-1"
      },
      "ruleIndex": 0,
      "ruleName": "Tote bag with two shirts",
      "rulesetId": "<rulesetId-2>"
    },
    {
      "campaignId": "<campaignId-3>",
      "effectType": "addLoyaltyPoints",
      "props": {
        "name": "10% back",
        "programId": "<programId-1>",
        "recipientIntegrationId": "heidi",
        "subLedgerId": "",
        "transactionUUID": "<transactionUUID-1>",
        "value": 6
      },
      "ruleIndex": 0,
      "ruleName": "Earn points",
      "rulesetId": "<rulesetId-3>"
    },
    {
      "campaignId": "<campaignId-1>",
      "effectType": "setDiscount",
      "props": {
        "name": "10% off",
        "scope": "cartItems",
        "value": 6
      },
      "ruleIndex": 0,
      "ruleName": "Ten percent off with a coupon",
      "rulesetId": "<rulesetId-1>",
      "triggeredByCoupon": "<triggeredByCoupon-1>"
    }
  ]
}
