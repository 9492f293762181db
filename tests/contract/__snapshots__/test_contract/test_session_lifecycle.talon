[
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
        "ruleName": "Ten percent off",
        "rulesetId": "<rulesetId-1>",
        "triggeredByCoupon": "<triggeredByCoupon-1>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "awaitsActivation": true,
          "name": "Points on request",
          "programId": "<programId-1>",
          "recipientIntegrationId": "carol",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-1>",
          "validityDuration": "7D",
          "value": 4
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "expiryDate": "2026-01-31T00:00:00Z",
          "name": "Base points",
          "programId": "<programId-2>",
          "recipientIntegrationId": "carol",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-2>",
          "value": 10
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "name": "Card points",
          "programId": "<programId-3>",
          "recipientIntegrationId": "carol",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-3>",
          "value": 3
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "changeLoyaltyTierLevel",
        "props": {
          "newTierName": "Silver",
          "programId": "<programId-2>",
          "ruleTitle": "Points on every order",
          "subLedgerId": ""
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-1>",
        "effectType": "setDiscount",
        "props": {
          "name": "10% off",
          "scope": "cartItems",
          "value": 8.4
        },
        "ruleIndex": 0,
        "ruleName": "Ten percent off",
        "rulesetId": "<rulesetId-1>",
        "triggeredByCoupon": "<triggeredByCoupon-1>"
      },
      {
        "campaignId": "<campaignId-3>",
        "effectType": "setDiscountPerItem",
        "props": {
          "name": "Mug unit#1",
          "position": 1,
          "scope": "itemTotal",
          "subPosition": 0,
          "value": 1
        },
        "ruleIndex": 0,
        "ruleName": "One off every mug",
        "rulesetId": "<rulesetId-3>"
      },
      {
        "campaignId": "<campaignId-3>",
        "effectType": "setDiscountPerItem",
        "props": {
          "name": "Mug unit#1",
          "position": 1,
          "scope": "itemTotal",
          "subPosition": 1,
          "value": 1
        },
        "ruleIndex": 0,
        "ruleName": "One off every mug",
        "rulesetId": "<rulesetId-3>"
      },
      {
        "campaignId": "<campaignId-3>",
        "effectType": "setDiscountPerItem",
        "props": {
          "name": "Mug unit#1",
          "position": 1,
          "scope": "itemTotal",
          "subPosition": 2,
          "value": 1
        },
        "ruleIndex": 0,
        "ruleName": "One off every mug",
        "rulesetId": "<rulesetId-3>"
      }
    ]
  },
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
        "ruleName": "Ten percent off",
        "rulesetId": "<rulesetId-1>",
        "triggeredByCoupon": "<triggeredByCoupon-1>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "awaitsActivation": true,
          "name": "Points on request",
          "programId": "<programId-1>",
          "recipientIntegrationId": "carol",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-4>",
          "validityDuration": "7D",
          "value": 4
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "expiryDate": "2026-01-31T00:00:00Z",
          "name": "Base points",
          "programId": "<programId-2>",
          "recipientIntegrationId": "carol",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-5>",
          "value": 10
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "name": "Card points",
          "programId": "<programId-3>",
          "recipientIntegrationId": "carol",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-6>",
          "value": 3
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "changeLoyaltyTierLevel",
        "props": {
          "newTierName": "Silver",
          "programId": "<programId-2>",
          "ruleTitle": "Points on every order",
          "subLedgerId": ""
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-1>",
        "effectType": "setDiscount",
        "props": {
          "name": "10% off",
          "scope": "cartItems",
          "value": 8.4
        },
        "ruleIndex": 0,
        "ruleName": "Ten percent off",
        "rulesetId": "<rulesetId-1>",
        "triggeredByCoupon": "<triggeredByCoupon-1>"
      },
      {
        "campaignId": "<campaignId-3>",
        "effectType": "setDiscountPerItem",
        "props": {
          "name": "Mug unit#1",
          "position": 1,
          "scope": "itemTotal",
          "subPosition": 0,
          "value": 1
        },
        "ruleIndex": 0,
        "ruleName": "One off every mug",
        "rulesetId": "<rulesetId-3>"
      },
      {
        "campaignId": "<campaignId-3>",
        "effectType": "setDiscountPerItem",
        "props": {
          "name": "Mug unit#1",
          "position": 1,
          "scope": "itemTotal",
          "subPosition": 1,
          "value": 1
        },
        "ruleIndex": 0,
        "ruleName": "One off every mug",
        "rulesetId": "<rulesetId-3>"
      },
      {
        "campaignId": "<campaignId-3>",
        "effectType": "setDiscountPerItem",
        "props": {
          "name": "Mug unit#1",
          "position": 1,
          "scope": "itemTotal",
          "subPosition": 2,
          "value": 1
        },
        "ruleIndex": 0,
        "ruleName": "One off every mug",
        "rulesetId": "<rulesetId-3>"
      }
    ]
  },
  {
    "createdCoupons": [],
    "createdReferrals": [],
    "effects": [
      {
        "campaignId": "<campaignId-3>",
        "effectType": "rollbackDiscount",
        "props": {
          "cartItemPosition": 1,
          "cartItemSubPosition": 0,
          "name": "Mug unit#1",
          "scope": "itemTotal",
          "value": 1
        },
        "ruleIndex": 0,
        "ruleName": "One off every mug",
        "rulesetId": "<rulesetId-3>"
      },
      {
        "campaignId": "<campaignId-3>",
        "effectType": "rollbackDiscount",
        "props": {
          "cartItemPosition": 1,
          "cartItemSubPosition": 1,
          "name": "Mug unit#1",
          "scope": "itemTotal",
          "value": 1
        },
        "ruleIndex": 0,
        "ruleName": "One off every mug",
        "rulesetId": "<rulesetId-3>"
      }
    ],
    "return": {
      "accountId": "<accountId-1>",
      "applicationId": "<applicationId-1>",
      "created": "<created>",
      "createdBy": 1,
      "eventId": "<eventId-1>",
      "id": "<id-1>",
      "profileId": "<profileId-1>",
      "profileIntegrationId": "carol",
      "returnedCartItems": [
        {
          "position": 0,
          "quantity": 1,
          "sku": "SHIRT-1"
        },
        {
          "position": 1,
          "quantity": 2,
          "sku": "MUG-1"
        }
      ],
      "sessionId": "<sessionId-1>",
      "sessionIntegrationId": "c-order-1"
    }
  },
  {
    "createdCoupons": [],
    "createdReferrals": [],
    "effects": [
      {
        "campaignId": "<campaignId-2>",
        "effectType": "rollbackAddedLoyaltyPoints",
        "props": {
          "programId": "<programId-2>",
          "recipientIntegrationId": "carol",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-7>",
          "value": 10
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "rollbackAddedLoyaltyPoints",
        "props": {
          "programId": "<programId-3>",
          "recipientIntegrationId": "carol",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-8>",
          "value": 3
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "rollbackAddedLoyaltyPoints",
        "props": {
          "programId": "<programId-1>",
          "recipientIntegrationId": "carol",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-9>",
          "value": 4
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-1>",
        "effectType": "rollbackCoupon",
        "props": {
          "value": "SUMMER-10"
        },
        "ruleIndex": 0,
        "ruleName": "Ten percent off",
        "rulesetId": "<rulesetId-1>",
        "triggeredByCoupon": "<triggeredByCoupon-1>"
      },
      {
        "campaignId": "<campaignId-1>",
        "effectType": "rollbackDiscount",
        "props": {
          "name": "10% off",
          "scope": "cartItems",
          "value": 8.4
        },
        "ruleIndex": 0,
        "ruleName": "Ten percent off",
        "rulesetId": "<rulesetId-1>",
        "triggeredByCoupon": "<triggeredByCoupon-1>"
      },
      {
        "campaignId": "<campaignId-3>",
        "effectType": "rollbackDiscount",
        "props": {
          "cartItemPosition": 1,
          "cartItemSubPosition": 2,
          "name": "Mug unit#1",
          "scope": "itemTotal",
          "value": 1
        },
        "ruleIndex": 0,
        "ruleName": "One off every mug",
        "rulesetId": "<rulesetId-3>"
      }
    ]
  }
]
